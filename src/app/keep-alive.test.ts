// Keep-alive over a fake page, Wake Lock and notifier, on a manual clock: a swarm whose snapshot the
// test sets, and (last) real engines, to check the last-holder rule against real piece maps.
import { afterEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock';
import { createEmitter } from '../core/events';
import type { PieceMap } from '../core/swarm/piece-map';
import type { ItemView, PeerView, SwarmEvent, SwarmSnapshot } from '../core/swarm/view-types';
import { createSwarmSimulation, destroyAll, randomBytes, shareBytes, statusOf } from '../test-support/swarm-fixtures';
import { isLastHolder, lastHolderCheckIntervalMs, startKeepAlive, type KeepAliveDeps, type UnloadWarning, type WakeLockHold } from './keep-alive';

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  destroyAll();
});

const item = (status: ItemView['status'], extra: Partial<ItemView> = {}): ItemView => ({
  itemId: 'item-1',
  name: 'holiday.mp4',
  files: [],
  totalBytes: 3,
  chunkCount: 3,
  heldChunks: 0,
  verifiedBytes: 0,
  status,
  notice: null,
  local: false,
  peersWithItem: 1,
  swarmCoverage: [],
  heldBitsHex: '',
  downBytesPerSecond: 0,
  ...extra,
});
const peer = (upBytesPerSecond = 0): PeerView => ({ peerId: 'friend', uploadedBytes: 0, downloadedBytes: 0, upBytesPerSecond, downBytesPerSecond: 0 });

/** A swarm whose snapshot and per-chunk piece map the test sets; `set` notifies subscribers as the engine does. */
function fakeSwarm() {
  let snapshot: SwarmSnapshot = { items: [], peers: [], autoDownload: true, uploadLimit: null, bannedPeerIds: [] };
  /** Per chunk: held here (0/1), and connected peers holding it. */
  let chunks: { held: number[]; peers: number[] } = { held: [], peers: [] };
  const listeners = new Set<() => void>();
  const events = createEmitter<SwarmEvent>();
  const swarm: KeepAliveDeps['swarm'] = {
    getSnapshot: () => snapshot,
    subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
    events,
    pieceMap: (_itemId, bins): PieceMap => ({ chunkCount: bins, heldChunks: chunks.held.filter((h) => h > 0).length, held: chunks.held, inFlight: [], peers: chunks.peers }),
  };
  return {
    swarm,
    set(change: Partial<SwarmSnapshot>, pieces?: typeof chunks) {
      snapshot = { ...snapshot, ...change };
      if (pieces) chunks = pieces;
      for (const listener of [...listeners]) listener();
    },
    complete: (itemId: string) => events.emit({ type: 'item-completed', itemId }),
  };
}

/** A page the test hides and shows, with a title and `beforeunload` listeners it can fire. */
function fakePage() {
  let visible = true;
  const visibilityListeners = new Set<() => void>();
  const unloadListeners = new Set<(event: UnloadWarning) => void>();
  const page = {
    title: 'Swarmdrop',
    isVisible: () => visible,
    onVisibilityChange: (listener: () => void) => (visibilityListeners.add(listener), () => visibilityListeners.delete(listener)),
    getTitle: () => page.title,
    setTitle: (title: string) => void (page.title = title),
    onBeforeUnload: (listener: (event: UnloadWarning) => void) => (unloadListeners.add(listener), () => unloadListeners.delete(listener)),
    setVisible(on: boolean) {
      visible = on;
      for (const listener of [...visibilityListeners]) listener();
    },
    unloadListenerCount: () => unloadListeners.size,
    /** Closes the tab: whether a listener asked the browser to warn, as a browser reads the event. */
    close() {
      const event = { prevented: false, returnValue: undefined as unknown, preventDefault: () => void (event.prevented = true) };
      for (const listener of [...unloadListeners]) listener(event);
      return { prevented: event.prevented, returnValue: event.returnValue };
    },
  };
  return page;
}

/** A Wake Lock that grants (or refuses) each request and lets the test take a hold back as a hidden tab does. */
function fakeWakeLock() {
  const lock = {
    requests: 0,
    refuse: false,
    held: [] as { released: boolean; browserTakesIt: () => void }[],
    active: () => lock.held.filter((h) => !h.released).length,
    async request(): Promise<WakeLockHold> {
      lock.requests += 1;
      if (lock.refuse) throw new DOMException('not allowed', 'NotAllowedError');
      const releaseListeners: (() => void)[] = [];
      const hold = {
        released: false,
        browserTakesIt() {
          hold.released = true;
          for (const listener of releaseListeners) listener();
        },
      };
      lock.held.push(hold);
      return {
        release: async () => void (hold.released = true),
        onRelease: (listener) => void releaseListeners.push(listener),
      };
    },
  };
  return lock;
}

/** Lets the promises of a Wake Lock request settle. */
const settled = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function start(options: { wakeLock?: ReturnType<typeof fakeWakeLock> | null; notifications?: boolean } = {}) {
  const clock = createManualClock();
  const swarm = fakeSwarm();
  const page = fakePage();
  const wakeLock = options.wakeLock === undefined ? fakeWakeLock() : options.wakeLock;
  const shown: string[] = [];
  const lastHolder: boolean[] = [];
  const stop = startKeepAlive({
    swarm: swarm.swarm,
    page,
    wakeLock,
    notifier: { allowed: () => options.notifications ?? false, show: (title) => void shown.push(title) },
    log: () => undefined,
    clock,
    onLastHolderChange: (on) => void lastHolder.push(on),
  });
  stops.push(stop);
  return { clock, swarm, page, wakeLock, shown, lastHolder, stop };
}

describe('keep-alive: the screen Wake Lock', () => {
  it('is held while an item downloads from a connected peer, and released when the transfer ends', async () => {
    const { swarm, wakeLock } = start();
    if (!wakeLock) throw new Error('no lock');
    expect(wakeLock.requests).toBe(0);
    swarm.set({ items: [item('downloading')], peers: [peer()] });
    await settled();
    expect(wakeLock.active()).toBe(1);
    swarm.set({ items: [item('downloading')], peers: [peer()] }); // more progress: still the one hold
    await settled();
    expect([wakeLock.requests, wakeLock.active()]).toEqual([1, 1]);
    swarm.set({ items: [item('complete')] });
    await settled();
    expect(wakeLock.active()).toBe(0);
  });

  it('is held while a peer downloads from us, and not for a download nobody can serve', async () => {
    const { swarm, wakeLock } = start();
    if (!wakeLock) throw new Error('no lock');
    swarm.set({ items: [item('downloading')], peers: [] });
    await settled();
    expect(wakeLock.requests).toBe(0);
    swarm.set({ items: [item('complete')], peers: [peer(250_000)] });
    await settled();
    expect(wakeLock.active()).toBe(1);
    swarm.set({ peers: [peer(0)] });
    await settled();
    expect(wakeLock.active()).toBe(0);
  });

  it('is asked for again when the tab comes back, after the browser dropped it while hidden', async () => {
    const { swarm, page, wakeLock } = start();
    if (!wakeLock) throw new Error('no lock');
    swarm.set({ items: [item('downloading')], peers: [peer()] });
    await settled();
    page.setVisible(false);
    wakeLock.held[0]?.browserTakesIt();
    swarm.set({ items: [item('downloading')], peers: [peer()] });
    await settled();
    expect([wakeLock.requests, wakeLock.active()]).toEqual([1, 0]); // never asked while hidden
    page.setVisible(true);
    await settled();
    expect([wakeLock.requests, wakeLock.active()]).toEqual([2, 1]);
  });

  it('asks once after a refusal, not on every change, and again when the tab is shown', async () => {
    const { swarm, page, wakeLock } = start();
    if (!wakeLock) throw new Error('no lock');
    wakeLock.refuse = true;
    for (let i = 0; i < 5; i++) {
      swarm.set({ items: [item('downloading')], peers: [peer()] });
      await settled();
    }
    expect(wakeLock.requests).toBe(1);
    wakeLock.refuse = false;
    page.setVisible(false);
    page.setVisible(true);
    await settled();
    expect([wakeLock.requests, wakeLock.active()]).toEqual([2, 1]);
  });

  it('does nothing where the browser has no Wake Lock API, and the rest still works', async () => {
    const { swarm, page } = start({ wakeLock: null });
    expect(() => swarm.set({ items: [item('downloading', { itemId: 'a' })], peers: [peer()] })).not.toThrow();
    await settled();
    page.setVisible(false);
    swarm.complete('a');
    expect(page.title).toBe('(1) Swarmdrop');
  });

  it('lets go of the lock when stopped', async () => {
    const { swarm, wakeLock, stop } = start();
    swarm.set({ items: [item('downloading')], peers: [peer()] });
    await settled();
    stop();
    expect(wakeLock?.active()).toBe(0);
  });
});

describe('keep-alive: downloads finished out of sight', () => {
  it('counts them in the title while hidden, and clears the count when the tab is seen', () => {
    const { swarm, page } = start();
    swarm.set({ items: [item('complete', { itemId: 'a', name: 'a.txt' }), item('complete', { itemId: 'b', name: 'b.txt' })] });
    swarm.complete('a'); // seen: no badge
    expect(page.title).toBe('Swarmdrop');
    page.setVisible(false);
    swarm.complete('a');
    expect(page.title).toBe('(1) Swarmdrop');
    swarm.complete('b');
    expect(page.title).toBe('(2) Swarmdrop');
    page.setVisible(true);
    expect(page.title).toBe('Swarmdrop');
    page.setVisible(false);
    swarm.complete('b');
    expect(page.title).toBe('(1) Swarmdrop');
  });

  it('shows a notification naming the item only if the person allowed them', () => {
    const allowed = start({ notifications: true });
    allowed.swarm.set({ items: [item('complete', { itemId: 'a', name: 'holiday.mp4' })] });
    allowed.page.setVisible(false);
    allowed.swarm.complete('a');
    expect(allowed.shown).toEqual(['holiday.mp4 is ready to save']);

    const notAllowed = start({ notifications: false });
    notAllowed.swarm.set({ items: [item('complete', { itemId: 'a' })] });
    notAllowed.page.setVisible(false);
    notAllowed.swarm.complete('a');
    expect(notAllowed.shown).toEqual([]);
    expect(notAllowed.page.title).toBe('(1) Swarmdrop');
  });

  it('restores the title when stopped', () => {
    const { swarm, page, stop } = start();
    swarm.set({ items: [item('complete', { itemId: 'a' })] });
    page.setVisible(false);
    swarm.complete('a');
    stop();
    expect(page.title).toBe('Swarmdrop');
  });
});

describe('keep-alive: the warning before closing the last holder', () => {
  const heldHere = { held: [1, 1, 0], peers: [1, 0, 1] };
  const heldByBoth = { held: [1, 1, 0], peers: [1, 1, 1] };

  it('arms while this tab alone holds a chunk a connected peer lacks, and disarms once the peer has it', () => {
    const { clock, swarm, page, lastHolder } = start();
    swarm.set({ items: [item('downloading', { heldChunks: 2 })], peers: [peer()] }, heldHere);
    clock.advance(lastHolderCheckIntervalMs);
    expect(lastHolder.at(-1)).toBe(true);
    expect(page.unloadListenerCount()).toBe(1);
    expect(page.close()).toEqual({ prevented: true, returnValue: true });

    swarm.set({}, heldByBoth);
    clock.advance(lastHolderCheckIntervalMs);
    expect(lastHolder).toEqual([false, true, false]);
    expect(page.unloadListenerCount()).toBe(0); // no listener at all: the page may go to the back/forward cache
    expect(page.close()).toEqual({ prevented: false, returnValue: undefined });
  });

  it('checks again as the tab closes, so a friend who just finished does not trigger a stale warning', () => {
    const { clock, swarm, page } = start();
    swarm.set({ items: [item('complete', { heldChunks: 3 })], peers: [peer()] }, heldHere);
    clock.advance(lastHolderCheckIntervalMs);
    swarm.set({}, heldByBoth); // the periodic check has not run yet
    expect(page.close()).toEqual({ prevented: false, returnValue: undefined });
  });

  it('works the rule out at most once per interval while the swarm changes', () => {
    const { clock, swarm, lastHolder } = start();
    clock.advance(lastHolderCheckIntervalMs);
    swarm.set({ items: [item('downloading', { heldChunks: 2 })], peers: [peer()] }, heldHere);
    swarm.set({}, heldByBoth);
    swarm.set({}, heldHere);
    expect(clock.pending()).toHaveLength(1);
    clock.advance(lastHolderCheckIntervalMs);
    expect(lastHolder).toEqual([false, true]);
  });

  it.each([
    ['nobody else is connected', [], heldHere],
    ['every chunk held here is held by a peer too', [peer()], heldByBoth],
    ['this tab holds nothing', [peer()], { held: [0, 0, 0], peers: [0, 0, 0] }],
  ])('is not armed when %s', (_why, peers, pieces) => {
    const { clock, swarm, lastHolder, page } = start();
    swarm.set({ items: [item('downloading', { heldChunks: pieces.held.filter((h) => h > 0).length })], peers }, pieces);
    clock.advance(lastHolderCheckIntervalMs);
    expect(lastHolder).toEqual([false]);
    expect(page.close().prevented).toBe(false);
  });
});

describe('keep-alive: the last-holder rule on real engines', () => {
  it('holds for a sharer whose friend has not got the item yet, and not once the friend has it all', async () => {
    const sim = createSwarmSimulation();
    const sharer = sim.peer();
    const friend = sim.peer({ autoDownload: false });
    const signed = await shareBytes(sharer.swarm, sharer.store, 'notes.bin', randomBytes(5_000, 3), 1_000);
    expect(isLastHolder(sharer.swarm)).toBe(false); // alone in the room
    sim.connect(sharer.swarm, 'S', friend.swarm, 'F');
    await sim.runUntil(() => statusOf(friend.swarm, signed.itemId) === 'available', 10_000, 'friend sees the item');
    expect(isLastHolder(sharer.swarm)).toBe(true);
    expect(isLastHolder(friend.swarm)).toBe(false); // holds nothing
    friend.swarm.download(signed.itemId);
    await sim.runUntil(() => statusOf(friend.swarm, signed.itemId) === 'complete', 10_000, 'friend completes');
    await sim.runUntil(() => !isLastHolder(sharer.swarm), 10_000, 'the sharer hears every have');
    expect(isLastHolder(friend.swarm)).toBe(false);
  });
});
