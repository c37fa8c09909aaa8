// Keeps transfers going while the person looks away, and tells them when something is done:
// - a screen Wake Lock while bytes move (a sleeping phone drops its connections), released when idle
//   and asked for again when the tab comes back (the browser drops it while hidden);
// - a title badge, "(2) Swarmdrop", counting downloads that finished while the tab was hidden, and a
//   notification for each if the person allowed them;
// - a warning before the tab closes while it is the last holder of a chunk someone here still lacks.
// Framework-free: the page, the Wake Lock and notifications are passed in (fakes in tests).
import { systemClock, type Clock, type TimerHandle } from '../core/clock';
import type { Logger } from '../core/ports';
import type { Swarm } from '../core/swarm/engine';
import type { SwarmSnapshot } from '../core/swarm/view-types';

/**
 * How often at most the last-holder state is worked out from the piece maps while the swarm changes:
 * it walks every chunk of every held item, and a closing tab checks again at that moment anyway.
 */
export const lastHolderCheckIntervalMs = 1_000;

/** A held screen Wake Lock (the browser's WakeLockSentinel). */
export interface WakeLockHold {
  release(): Promise<void>;
  /** The browser let it go (the tab was hidden). */
  onRelease(listener: () => void): void;
}

/** `navigator.wakeLock`, as far as it is used. */
export interface ScreenWakeLock {
  /** Rejects when the browser says no (hidden tab, battery saver, policy). */
  request(): Promise<WakeLockHold>;
}

/** The `beforeunload` event, as far as it is used. */
export interface UnloadWarning {
  preventDefault(): void;
  returnValue: unknown;
}

/** The page: its visibility, its title, and its unload warning. */
export interface KeepAlivePage {
  isVisible(): boolean;
  onVisibilityChange(listener: () => void): () => void;
  getTitle(): string;
  setTitle(title: string): void;
  /** Listens for `beforeunload`; returns how to stop (a listener is added only while needed). */
  onBeforeUnload(listener: (event: UnloadWarning) => void): () => void;
}

/** Notifications, if the browser has them. */
export interface DownloadNotifier {
  /** The person asked for them (Settings) and the browser allows them. */
  allowed(): boolean;
  show(title: string): void;
}

/** What keep-alive watches and uses. */
export interface KeepAliveDeps {
  readonly swarm: Pick<Swarm, 'getSnapshot' | 'subscribe' | 'events' | 'pieceMap'>;
  readonly page: KeepAlivePage;
  /** Absent where the browser has no Screen Wake Lock API: nothing is held then. */
  readonly wakeLock: ScreenWakeLock | null;
  readonly notifier: DownloadNotifier | null;
  readonly log: Logger;
  readonly clock?: Clock;
  /** Hears the last-holder state change (the page shows it to tests as `data-last-holder`). */
  readonly onLastHolderChange?: (lastHolder: boolean) => void;
}

/** Bytes are moving, or about to: an item downloading from a connected peer, or a peer downloading from us. */
export function isTransferring(snapshot: SwarmSnapshot): boolean {
  if (snapshot.peers.length === 0) return false; // a download with nobody to fetch from moves nothing
  return snapshot.items.some((item) => item.status === 'downloading') || snapshot.peers.some((peer) => peer.upBytesPerSecond > 0);
}

/**
 * Whether this tab holds a chunk that no connected peer holds, while a connected peer lacks it: closing
 * the tab would take that chunk out of the room, and the others could not finish.
 */
export function isLastHolder(swarm: KeepAliveDeps['swarm']): boolean {
  const snapshot = swarm.getSnapshot();
  if (snapshot.peers.length === 0) return false;
  return snapshot.items.some((item) => {
    if (item.heldChunks === 0) return false;
    // One bin per chunk: `held` is 0 or 1, `peers` the count of connected peers holding that chunk.
    const map = swarm.pieceMap(item.itemId, item.chunkCount);
    return map !== null && map.held.some((held, chunk) => held > 0 && (map.peers[chunk] ?? 0) === 0);
  });
}

/** The title with a count of finished downloads in front: "(3) Swarmdrop". */
export function badgedTitle(title: string, finished: number): string {
  return finished > 0 ? `(${finished}) ${title}` : title;
}

/** Starts watching the swarm and the page; returns how to stop (the lock is released, the title restored). */
export function startKeepAlive(deps: KeepAliveDeps): () => void {
  const { swarm, page, log } = deps;
  const clock = deps.clock ?? systemClock;
  let stopped = false;

  // Wake Lock: held while transferring and visible. A refusal is not asked again until the tab comes back or the transfer restarts.
  let hold: WakeLockHold | null = null;
  let requesting = false;
  let refused = false;
  const wanted = (): boolean => !stopped && page.isVisible() && isTransferring(swarm.getSnapshot());
  const letGo = (): void => {
    const held = hold;
    hold = null;
    held?.release().catch((error: unknown) => log('wake-lock-release-failed', { error: String(error) }));
  };
  const reconcileWakeLock = (): void => {
    const lock = deps.wakeLock;
    if (!lock) return;
    if (!wanted()) {
      if (!isTransferring(swarm.getSnapshot())) refused = false;
      return letGo();
    }
    if (hold || requesting || refused) return;
    requesting = true;
    lock.request().then(
      (granted) => {
        requesting = false;
        if (!wanted()) return void granted.release().catch(() => undefined); // the transfer ended meanwhile
        hold = granted;
        log('wake-lock-held');
        granted.onRelease(() => {
          if (hold === granted) hold = null; // the browser took it back: asked again when the tab is visible
        });
      },
      (error: unknown) => {
        requesting = false;
        refused = true;
        log('wake-lock-refused', { error: String(error) });
      },
    );
  };

  // Title badge and notifications for downloads that finish out of sight.
  let finishedUnseen = 0;
  let plainTitle = page.getTitle();
  const onCompleted = (itemId: string): void => {
    if (page.isVisible()) return;
    if (finishedUnseen === 0) plainTitle = page.getTitle();
    finishedUnseen += 1;
    page.setTitle(badgedTitle(plainTitle, finishedUnseen));
    const name = swarm.getSnapshot().items.find((item) => item.itemId === itemId)?.name;
    if (name !== undefined && deps.notifier?.allowed()) deps.notifier.show(`${name} is ready to save`);
  };
  const clearBadge = (): void => {
    if (finishedUnseen === 0) return;
    finishedUnseen = 0;
    page.setTitle(plainTitle);
  };

  // The unload warning: armed while this tab is the last holder, checked again as the tab closes.
  let lastHolder = false;
  let stopWarning: (() => void) | null = null;
  let checkTimer: TimerHandle | null = null;
  let lastCheckMs = -Infinity;
  const warn = (event: UnloadWarning): void => {
    if (!isLastHolder(swarm)) return;
    event.preventDefault();
    event.returnValue = true; // older Chromium shows the dialog only for a truthy returnValue
  };
  const checkLastHolder = (): void => {
    checkTimer = null;
    lastCheckMs = clock.now();
    const now = !stopped && isLastHolder(swarm);
    if (now === lastHolder) return;
    lastHolder = now;
    // A beforeunload listener keeps a page out of the back/forward cache: only while it is needed.
    if (now) stopWarning = page.onBeforeUnload(warn);
    else {
      stopWarning?.();
      stopWarning = null;
    }
    deps.onLastHolderChange?.(now);
  };
  const scheduleCheck = (): void => {
    if (checkTimer === null && !stopped) checkTimer = clock.setTimeout(checkLastHolder, Math.max(0, lastCheckMs + lastHolderCheckIntervalMs - clock.now()));
  };

  const stopSnapshots = swarm.subscribe(() => {
    reconcileWakeLock();
    scheduleCheck();
  });
  const stopEvents = swarm.events.subscribe((event) => {
    if (event.type === 'item-completed') onCompleted(event.itemId);
  });
  const stopVisibility = page.onVisibilityChange(() => {
    if (!page.isVisible()) return;
    clearBadge();
    refused = false;
    reconcileWakeLock();
  });
  reconcileWakeLock();
  scheduleCheck();
  deps.onLastHolderChange?.(false);

  return () => {
    stopped = true;
    stopSnapshots();
    stopEvents();
    stopVisibility();
    if (checkTimer !== null) clock.clearTimeout(checkTimer);
    stopWarning?.();
    letGo();
    clearBadge();
  };
}
