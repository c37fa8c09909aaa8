// The relay's `ice-servers` frame, parsed at the boundary: only well-formed STUN/TURN entries pass.

/** ICE servers a page takes at most; the relay sends a handful. */
const maxIceServers = 16;

/** URI schemes an RTCIceServer may use. */
const iceUriPattern = /^(?:stuns?|turns?):[^\s,]+$/;

/** The servers of an `ice-servers` frame, or null when the frame is malformed. */
export function parseIceServers(value: unknown): RTCIceServer[] | null {
  if (!Array.isArray(value) || value.length > maxIceServers) return null;
  const servers: RTCIceServer[] = [];
  for (const entry of value) {
    if (typeof entry !== 'object' || entry === null) return null;
    const { urls, username, credential } = entry as Record<string, unknown>;
    const list = typeof urls === 'string' ? [urls] : urls;
    if (!Array.isArray(list) || list.length === 0) return null;
    if (!list.every((url): url is string => typeof url === 'string' && iceUriPattern.test(url))) return null;
    if (username !== undefined && typeof username !== 'string') return null;
    if (credential !== undefined && typeof credential !== 'string') return null;
    servers.push({ urls: list, ...(username === undefined ? {} : { username }), ...(credential === undefined ? {} : { credential }) });
  }
  return servers;
}
