// Keeps downloads within the browser's storage quota: before and while downloading, compares what
// the downloading items still need with what `navigator.storage.estimate()` says is free, pauses an
// item that cannot fit with a clear message, and resumes items paused for space once it is free.
import { setRepeating, systemClock, type Clock, type TimerHandle } from '../core/clock';
import { logIdChars, shortId } from '../core/ids';
import type { Logger } from '../core/ports';
import type { Swarm } from '../core/swarm/engine';
import { isWaitingForSpace } from '../core/swarm/view-types';

/** Room kept free beyond what downloads need: estimates are approximate and stores have overhead. */
export const storageMarginBytes = 32 * 1024 * 1024;

/** How often free space is rechecked while something is downloading or waiting for space. */
export const quotaCheckIntervalMs = 2_000;

/** After a check for a download that started, the next such check waits this long, so a burst of items (thousands) shares a few checks. */
export const quotaEventDelayMs = 50;

/** What the guard needs (the browser's in main.tsx; fakes in tests). */
export interface QuotaGuardDeps {
  readonly swarm: Swarm;
  readonly estimate: () => Promise<{ readonly quota?: number; readonly usage?: number }>;
  /** Asks the browser not to evict our data under storage pressure; asked once, at the first download. */
  readonly persist: () => Promise<boolean>;
  readonly log: Logger;
  readonly checkIntervalMs?: number;
  /** Where the recheck timer runs; a manual clock in tests. */
  readonly clock?: Clock;
}

/** Starts guarding; returns a stop function. */
export function startQuotaGuard(deps: QuotaGuardDeps): () => void {
  let askedPersist = false;
  let checking = false;

  const check = async (): Promise<void> => {
    const items = deps.swarm.getSnapshot().items;
    const active = items.filter((i) => i.status === 'downloading' || (i.status === 'paused' && isWaitingForSpace(i.notice)));
    if (active.length === 0) return;
    if (!askedPersist) {
      askedPersist = true;
      deps.persist().then(
        (granted) => deps.log('storage-persist', { granted }),
        (error: unknown) => deps.log('storage-persist-failed', { error: String(error) }),
      );
    }
    const { quota, usage } = await deps.estimate();
    if (quota === undefined || usage === undefined) return; // the browser will not say: rely on write errors
    let free = quota - usage - storageMarginBytes;
    for (const item of active) {
      const remaining = item.totalBytes - item.verifiedBytes;
      if (item.status === 'downloading') {
        if (remaining <= free) free -= remaining;
        else deps.swarm.pause(item.itemId, { code: 'not-enough-storage', neededBytes: remaining, freeBytes: Math.max(0, free) });
      } else if (remaining <= free) {
        free -= remaining;
        deps.log('storage-available', { itemId: shortId(item.itemId, logIdChars) });
        deps.swarm.download(item.itemId);
      }
    }
  };

  // One check at a time; what asks for one meanwhile gets a single check after it. Items arriving by
  // the thousand thus cost a few checks (each reads every item), not one per item.
  let again = false;
  const run = (): void => {
    if (checking) {
      again = true;
      return;
    }
    checking = true;
    check()
      .catch((error: unknown) => deps.log('quota-check-failed', { error: String(error) }))
      .finally(() => {
        checking = false;
        if (again) {
          again = false;
          run();
        }
      });
  };

  // A download that starts (or an item that arrives downloading) is checked at once; the events that
  // follow within `quotaEventDelayMs` share one check at its end. All are rechecked on a timer.
  const clock = deps.clock ?? systemClock;
  let soon: TimerHandle | null = null;
  let lastEventRunMs = -Infinity;
  const runForEvent = (): void => {
    soon = null;
    lastEventRunMs = clock.now();
    run();
  };
  const unsubscribe = deps.swarm.events.subscribe((event) => {
    if (soon !== null || !(event.type === 'item-downloading' || (event.type === 'item-added' && !event.local))) return;
    const waitMs = lastEventRunMs + quotaEventDelayMs - clock.now();
    if (waitMs <= 0) runForEvent();
    else soon = clock.setTimeout(runForEvent, waitMs);
  });
  const stopChecks = setRepeating(clock, run, deps.checkIntervalMs ?? quotaCheckIntervalMs);
  run();
  return () => {
    stopChecks();
    unsubscribe();
    if (soon !== null) clock.clearTimeout(soon);
  };
}
