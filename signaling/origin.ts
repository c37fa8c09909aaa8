// The relay's Origin check: browsers on other sites must not use this relay through a visitor's tab.

/** The request fields the check needs, so it is testable without a socket. */
export interface OriginRequest {
  readonly origin: string | undefined;
  readonly host: string | undefined;
}

/**
 * With an allowlist, the Origin must be listed (a missing Origin is refused). Without one, a
 * browser request is accepted only when same-origin (Origin host === Host header), and a request
 * without Origin (non-browser clients, tests) is accepted.
 */
export function isOriginAllowed({ origin, host }: OriginRequest, allowedOrigins?: readonly string[]): boolean {
  if (allowedOrigins !== undefined) {
    return origin !== undefined && allowedOrigins.map(normalizeOrigin).includes(normalizeOrigin(origin));
  }
  if (origin === undefined) return true;
  const originHost = hostOf(origin);
  return originHost !== null && host !== undefined && originHost === host.toLowerCase();
}

/** Lower-cases and drops a trailing slash, so `https://A.example/` matches what browsers send. */
function normalizeOrigin(origin: string): string {
  return origin.trim().toLowerCase().replace(/\/+$/, '');
}

function hostOf(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.host === '' ? null : url.host.toLowerCase();
  } catch {
    return null;
  }
}
