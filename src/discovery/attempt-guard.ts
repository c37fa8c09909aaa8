// Who may cost this tab a connection attempt. Each attempt is an RTCPeerConnection, and a tab gets a
// limited number of them (transport/connection-budget.ts), so a member that sends offer after offer, or
// whose attempts keep failing, must spend its own allowance, not everyone's: attempts with each peer
// are rate-limited, and a peer whose attempts failed `maxFailedAttemptsPerPeer` times in a row is not
// tried again this session. Identities are signed keys, so this sticks to the peer.
import { setRecent } from '../core/recent-map';

/** Attempts with one peer at once in a burst: a link, a retry after a drop, one after an ICE failure. */
export const attemptBurstPerPeer = 3;

/** One more attempt with a peer is allowed per this long: reconnecting is rare for an honest pair. */
export const attemptRefillMs = 10_000;

/** Attempts with a peer that ended before their data channel opened, in a row, before we give up on it. */
export const maxFailedAttemptsPerPeer = 3;

/** Peers tracked at most (least recently seen dropped): bounds what made-up identities cost. */
export const maxGuardedPeers = 1024;

interface PeerRecord {
  tokens: number;
  refilledMs: number;
  failures: number;
}

export interface AttemptGuard {
  /** Why an attempt with `peerId` may not start now, or null if it may. */
  refusal(peerId: string): string | null;
  /** An attempt with `peerId` started (takes one from its allowance). */
  started(peerId: string): void;
  /** Its data channel opened: its failures are forgiven. */
  opened(peerId: string): void;
  /** It ended before its data channel opened. */
  failed(peerId: string): void;
}

export function createAttemptGuard(now: () => number): AttemptGuard {
  const peers = new Map<string, PeerRecord>();

  const recordOf = (peerId: string): PeerRecord => {
    let record = peers.get(peerId);
    if (record) {
      const earned = Math.floor((now() - record.refilledMs) / attemptRefillMs);
      if (earned > 0) {
        record.tokens = Math.min(attemptBurstPerPeer, record.tokens + earned);
        record.refilledMs += earned * attemptRefillMs;
      }
    } else {
      record = { tokens: attemptBurstPerPeer, refilledMs: now(), failures: 0 };
    }
    setRecent(peers, peerId, record, maxGuardedPeers); // least recently seen are forgotten first
    return record;
  };

  return {
    refusal(peerId) {
      const record = recordOf(peerId);
      if (record.failures >= maxFailedAttemptsPerPeer) return `its last ${record.failures} connection attempts failed`;
      if (record.tokens < 1) return 'too many connection attempts';
      return null;
    },
    started(peerId) {
      const record = recordOf(peerId);
      if (record.tokens < 1) record.refilledMs = now(); // started anyway (our own retry): the next token is a full period away
      record.tokens = Math.max(0, record.tokens - 1);
    },
    opened(peerId) {
      recordOf(peerId).failures = 0;
    },
    failed(peerId) {
      recordOf(peerId).failures += 1;
    },
  };
}
