// The ICE servers this tab uses, as the relay last told them (with fresh TURN credentials before old
// ones expire). New connections take the current list; live ones are updated for their next restart.

/** A changing list of ICE servers. */
export interface IceConfig {
  current(): readonly RTCIceServer[];
  /** True when a TURN server is in the list (a relay-only restart can then help). */
  hasTurn(): boolean;
  set(servers: readonly RTCIceServer[]): void;
  /** Hears every change; returns how to stop. */
  subscribe(listener: (servers: readonly RTCIceServer[]) => void): () => void;
}

const isTurnUrl = (url: string): boolean => url.startsWith('turn:') || url.startsWith('turns:');

/** Creates the holder; until the relay speaks it is empty (host candidates only, fine on a LAN). */
export function createIceConfig(initial: readonly RTCIceServer[] = []): IceConfig {
  let servers = initial;
  const listeners = new Set<(servers: readonly RTCIceServer[]) => void>();
  return {
    current: () => servers,
    hasTurn: () => servers.some((server) => (typeof server.urls === 'string' ? [server.urls] : server.urls).some(isTurnUrl)),
    set(next) {
      servers = next;
      for (const listener of [...listeners]) listener(next);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
