// When a sharer's background copies into storage may run: in a spare moment of the page, and not while
// peers are downloading from this tab, so serving comes first. Measured with 2,000 small items, copies
// running beside the serving delayed the friend's last item by ~0.5 s (3.2–3.9 s against 2.6–3.0 s).
import { sleep, type Clock } from '../core/clock';

/** How often to look again while this tab uploads: a speed meter bucket (core/swarm/rate-meter.ts). */
export const quietCheckMs = 250;

/** Longest one copy waits for uploads to stop: a tab serving for hours still keeps its files, an item at a time. */
export const maxCopyDeferralMs = 2000;

export interface QuietMomentDeps {
  /** Whether peers are downloading from this tab now. */
  uploading(): boolean;
  /** Resolves in the page's next spare moment (files/idle.ts). */
  idle(): Promise<void>;
  readonly clock: Clock;
}

/** Resolves once this tab has not uploaded for a moment (or `maxCopyDeferralMs` passed), in a spare moment. */
export function quietMoment(deps: QuietMomentDeps): () => Promise<void> {
  return async () => {
    const since = deps.clock.now();
    while (deps.uploading() && deps.clock.now() - since < maxCopyDeferralMs) await sleep(deps.clock, quietCheckMs);
    await deps.idle();
  };
}
