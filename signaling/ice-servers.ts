// The ICE servers each page is told to use: the relay's own STUN responder, TURN with credentials
// minted for this client, and/or a static list. Decided at run time, never baked into the bundle.
import { mintTurnCredential } from './turn-credentials.js';

/** An RTCIceServer as the browser takes it (Node has no DOM types). */
export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** TURN through coturn's `use-auth-secret`. */
export interface TurnSettings {
  readonly urls: readonly string[];
  readonly secret: string;
  readonly ttlS: number;
}

/** What the operator configured. */
export interface IceSettings {
  /** UDP port of the built-in STUN responder, or null when it is off. */
  readonly stunPort: number | null;
  readonly turn: TurnSettings | null;
  readonly staticServers: readonly IceServer[];
}

/** What one client is sent: its servers, and how long they stay valid (null: forever). */
export interface IceOffer {
  readonly iceServers: readonly IceServer[];
  readonly validForMs: number | null;
}

/** Builds a client's ICE servers; `requestHost` is the Host header the page reached us by. */
export type IceProvider = (requestHost: string | undefined) => IceOffer;

/** No ICE servers at all: what a relay built without settings (most tests) hands out. */
export const noIceSettings: IceSettings = { stunPort: null, turn: null, staticServers: [] };

/** A host name or IP literal safe to put in a `stun:` URI; anything else gets no built-in STUN entry. */
const safeHostPattern = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])$/;

/** The host part of a Host header (`name:port`, `[v6]:port`), or null when it is missing or odd. */
export function hostnameOf(hostHeader: string | undefined): string | null {
  if (hostHeader === undefined) return null;
  const trimmed = hostHeader.trim();
  const hostname = trimmed.startsWith('[') ? trimmed.slice(0, trimmed.indexOf(']') + 1) : (trimmed.split(':')[0] ?? '');
  return hostname !== '' && safeHostPattern.test(hostname) ? hostname : null;
}

/** The provider for these settings; `now` is injected so expiry is testable. */
export function createIceProvider(settings: IceSettings, now: () => number = Date.now): IceProvider {
  return (requestHost) => {
    const servers: IceServer[] = [];
    const hostname = hostnameOf(requestHost);
    // The page reached us by this name, so the same name reaches our STUN port.
    if (settings.stunPort !== null && hostname !== null) servers.push({ urls: `stun:${hostname}:${settings.stunPort}` });
    let validForMs: number | null = null;
    if (settings.turn !== null) {
      const minted = mintTurnCredential(settings.turn.secret, settings.turn.ttlS, now());
      servers.push({ urls: [...settings.turn.urls], username: minted.username, credential: minted.credential });
      validForMs = minted.expiresAtMs - now();
    }
    servers.push(...settings.staticServers);
    return { iceServers: servers, validForMs };
  };
}
