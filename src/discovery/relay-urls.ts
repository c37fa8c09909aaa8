// The relay's `relays` frame, parsed at the boundary, and the failover list the client builds from it.

/** Other relays a page takes at most: a pool is a handful of relays, so more means a broken or hostile relay. */
export const maxRelayUrls = 16;

/** Longest relay URL a page takes, in characters: a real `wss://host/signal` is far shorter. */
export const maxRelayUrlChars = 2048;

/** Schemes a browser WebSocket connects to. */
const socketSchemes = new Set(['ws:', 'wss:']);

/** The URLs of a `relays` frame (normalised by the URL parser), or null when the frame is malformed. */
export function parseRelayUrls(value: unknown): string[] | null {
  if (!Array.isArray(value) || value.length > maxRelayUrls) return null;
  const urls: string[] = [];
  for (const entry of value) {
    if (typeof entry !== 'string' || entry.length > maxRelayUrlChars) return null;
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      return null; // not an absolute URL
    }
    if (!socketSchemes.has(url.protocol)) return null;
    urls.push(url.href);
  }
  return urls;
}

/** A URL compared in its normalised form, so `WS://Host/signal` and `ws://host/signal` are one relay. */
const sameRelayKey = (url: string): string => {
  try {
    return new URL(url).href;
  } catch {
    return url; // the page's own URL is used as given even if the parser disagrees
  }
};

/**
 * The failover order: the page's own relay first, then those advertised, then the relay that sent
 * them when it is not already listed (a relay lists only the others, and it must stay in the
 * rotation). Duplicates are dropped, the first spelling kept. `senderAt` is the sender's position.
 */
export function relayRotation(ownUrl: string, advertised: readonly string[], senderUrl: string): { urls: string[]; senderAt: number } {
  const keys: string[] = [];
  const urls: string[] = [];
  for (const url of [ownUrl, ...advertised, senderUrl]) {
    const key = sameRelayKey(url);
    if (keys.includes(key)) continue;
    keys.push(key);
    urls.push(url);
  }
  return { urls, senderAt: keys.indexOf(sameRelayKey(senderUrl)) };
}

/** The host (and port) of a relay URL, for log lines: never the path or query. */
export function relayHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the relay';
  }
}
