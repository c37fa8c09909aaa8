// What the page shows about each peer's connection besides the swarm's byte counts: its route
// (direct or through TURN), whether it is reconnecting, and peers no attempt could reach.
import type { ConnectionReports, FingerprintCheck, Route } from '../core/ports';
import { createDerivedStore, type ExternalStore } from '../core/store';

/** A connection as the person sees it. */
export type PeerConnectionState = 'connecting' | 'open' | 'reconnecting' | 'unreachable';

/** One peer's connection status. */
export interface PeerStatus {
  readonly peerId: string;
  readonly state: PeerConnectionState;
  readonly route: Route | null;
  /** Whether the DTLS certificate was checked against the authenticated SDP (null: not yet). */
  readonly fingerprint: FingerprintCheck | null;
}

/** The statuses by peer id; the UI reads it, the transport's callbacks write it. */
export interface PeerStatusBoard extends ExternalStore<ReadonlyMap<string, PeerStatus>>, ConnectionReports {}

/** UI notifications at most this often: routes and states change rarely, but a crowd connects at once. */
const notifyIntervalMs = 100;

/** Creates an empty board. */
export function createPeerStatusBoard(): PeerStatusBoard {
  const statuses = new Map<string, PeerStatus>();
  const store = createDerivedStore<ReadonlyMap<string, PeerStatus>>(() => new Map(statuses), notifyIntervalMs);
  const update = (peerId: string, change: (previous: PeerStatus | undefined) => PeerStatus | null): void => {
    const next = change(statuses.get(peerId));
    if (next === null) statuses.delete(peerId);
    else statuses.set(peerId, next);
    store.invalidate();
  };
  return {
    getSnapshot: store.getSnapshot,
    subscribe: store.subscribe,
    // A new attempt to a peer shown unreachable keeps saying so until it succeeds.
    connecting: (peerId) => update(peerId, (p) => (p?.state === 'unreachable' ? p : { peerId, state: 'connecting', route: null, fingerprint: null })),
    opened: (peerId) => update(peerId, (p) => ({ peerId, state: 'open', route: p?.route ?? null, fingerprint: p?.fingerprint ?? null })),
    route: (peerId, route) => update(peerId, (p) => (p ? { ...p, route } : null)),
    fingerprint: (peerId, result) => update(peerId, (p) => (p ? { ...p, fingerprint: result } : null)),
    recovering: (peerId, on) => update(peerId, (p) => (p ? { ...p, state: on ? 'reconnecting' : 'open' } : null)),
    closed: (peerId, unreachable) =>
      update(peerId, (p) => (unreachable ? { peerId, state: 'unreachable', route: p?.route ?? null, fingerprint: p?.fingerprint ?? null } : null)),
  };
}
