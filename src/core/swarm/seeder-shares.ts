// A seeder's uplink, shared among the downloaders it serves by how well each passes fresh chunks on.
// Each link of a browser gets an equal share of the uplink, so left alone a seeder hands a 1 Mbit/s
// home as many first copies as an 8 Mbit/s one, and the fast uplink sits idle for want of chunks
// nobody else has (docs/shaped-lab.md). Fluid schedules (Kumar & Ross) feed each downloader in
// proportion to its upload. Here a downloader's weight falls with the fresh chunks it holds that
// nobody else has yet, and a frame to a peer over its weighted share waits, a little, for the others:
// its link drains, and the others' links take the uplink it leaves.
import type { Clock } from '../clock';

/** How far back sending counts, as a half-life in ms: a share follows the room as it changes, within a few chunks. */
export const seederShareHalfLifeMs = 2_000;

/**
 * A frame never waits longer than this for its turn, in ms: every link keeps moving (well under the
 * 10 s request timeout and the stall rules' frame intervals), and a peer the weights disfavour still
 * gets a frame a second.
 */
export const maxShareWaitMs = 1_000;

/** Bytes a peer may run ahead of the peer furthest behind, in weighted bytes: one full frame, so turns are not frame by frame. */
export const shareSlackBytes = 64 * 1024;

/** Gates a seeder's frames so each downloader's recent share follows its weight. */
export interface SeederShares {
  /** Resolves when `peerId`, of weight `weight` (0..1], may send its next frame: at once unless it is over its share. */
  turn(peerId: string, weight: number): Promise<void>;
  /** `bytes` went to `peerId`. */
  sent(peerId: string, bytes: number): void;
  /** `peerId` has nothing more to send now (its queue is empty or it left): it no longer holds the others back. */
  idle(peerId: string): void;
  /** Peers being sent to now (for tests). */
  readonly activeCount: number;
}

interface PeerShare {
  /** Decayed bytes sent, as of `atMs`. */
  sentBytes: number;
  atMs: number;
  weight: number;
}

/** Creates the gate on `clock`. */
export function createSeederShares(clock: Clock): SeederShares {
  const active = new Map<string, PeerShare>();
  const waiters = new Set<() => void>();
  const decayed = (share: PeerShare, nowMs: number): number => share.sentBytes * 2 ** (-(nowMs - share.atMs) / seederShareHalfLifeMs);
  const weighted = (share: PeerShare, nowMs: number): number => decayed(share, nowMs) / Math.max(share.weight, 1e-3);
  const wakeAll = (): void => {
    for (const wake of [...waiters]) wake();
  };
  const mayGo = (peerId: string, nowMs: number): boolean => {
    const own = active.get(peerId);
    if (!own) return true;
    let least = Infinity;
    for (const [otherId, other] of active) if (otherId !== peerId) least = Math.min(least, weighted(other, nowMs));
    return weighted(own, nowMs) <= least + shareSlackBytes;
  };
  const shareOf = (peerId: string): PeerShare => {
    const found = active.get(peerId);
    if (found) return found;
    // A peer that starts (again) counts from the least-served active peer: no credit saved up, no debt.
    const nowMs = clock.now();
    let least = Infinity;
    for (const other of active.values()) least = Math.min(least, weighted(other, nowMs));
    const share: PeerShare = { sentBytes: 0, atMs: nowMs, weight: 1 };
    share.sentBytes = Number.isFinite(least) ? least : 0;
    active.set(peerId, share);
    return share;
  };

  return {
    async turn(peerId, weight) {
      const share = shareOf(peerId);
      if (share.weight !== weight) {
        // Re-expressed in the new weight, so a change of weight moves the share from now on.
        const nowMs = clock.now();
        share.sentBytes = decayed(share, nowMs) * (Math.max(weight, 1e-3) / Math.max(share.weight, 1e-3));
        share.atMs = nowMs;
        share.weight = weight;
      }
      const deadline = clock.now() + maxShareWaitMs;
      while (!mayGo(peerId, clock.now()) && clock.now() < deadline) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            waiters.delete(done);
            clock.clearTimeout(timer);
            resolve();
          };
          const timer = clock.setTimeout(done, Math.max(1, deadline - clock.now()));
          waiters.add(done);
        });
      }
    },
    sent(peerId, bytes) {
      const share = shareOf(peerId);
      const nowMs = clock.now();
      share.sentBytes = decayed(share, nowMs) + bytes;
      share.atMs = nowMs;
      wakeAll();
    },
    idle(peerId) {
      if (active.delete(peerId)) wakeAll();
    },
    get activeCount() {
      return active.size;
    },
  };
}
