// When a tab left out of a room says hello to it again. Full peers rescue a needy newcomer by chance
// (mesh.ts, rescueChance), so now and then too few do; a needy tab with nobody left to invite then
// says hello again, ever more rarely, since each hello reaches the whole room.
import { maxNeedyHelloMs } from './mesh';

/** How a tab stands: linked enough, waiting on invites it sent, or needy with nobody to invite. */
export type NeedyState = 'linked' | 'waiting' | 'alone';

/** Decides, at each refill round, whether a needy tab says hello to the room now. */
export interface NeedyHello {
  /** True when it should say hello now; the wait then doubles (up to maxNeedyHelloMs), and resets once linked. */
  due(state: NeedyState): boolean;
}

/** Creates the schedule: the first hello again comes `firstWaitMs` after joining at the earliest. */
export function createNeedyHello(firstWaitMs: number, now: () => number): NeedyHello {
  let waitMs = firstWaitMs;
  let atMs = now() + waitMs;
  return {
    due(state) {
      if (state === 'linked') {
        waitMs = firstWaitMs;
        atMs = now() + waitMs;
        return false;
      }
      if (state === 'waiting' || now() < atMs) return false;
      waitMs = Math.min(maxNeedyHelloMs, waitMs * 2);
      atMs = now() + waitMs;
      return true;
    },
  };
}
