// How many courtesy replies (declines: busy hellos) a tab sends, on the injected clock. A room of
// hundreds can invite one tab far more often than it can take up; answering every invite with a
// decline would run past the relay's per-socket token bucket (signaling/limits.ts: 200 frames at
// once, 50 a second, shared with signals and invites) and get the socket cut. Past this budget an
// invite goes unanswered and lapses at its sender (inviteTimeoutMs), which then invites another.

/** Declines sent at once at most: a few dozen invites at a time are honest in a crowd joining at once. */
export const declineBurst = 40;

/** Declines a second, on average: a tenth of the relay's refill, so signals and invites always have room. */
export const declineRefillPerSecond = 5;

/** A token bucket of declines. */
export interface ReplyBudget {
  /** Takes one reply's token; false when the budget is spent for now. */
  take(): boolean;
}

/** Creates a full budget reading time from `now` (ms). */
export function createReplyBudget(now: () => number, burst = declineBurst, refillPerSecond = declineRefillPerSecond): ReplyBudget {
  let tokens = burst;
  let at = now();
  return {
    take() {
      const t = now();
      tokens = Math.min(burst, tokens + ((t - at) / 1000) * refillPerSecond);
      at = t;
      if (tokens < 1) return false;
      tokens -= 1;
      return true;
    },
  };
}
