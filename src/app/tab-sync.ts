// How the tabs of one browser agree about what they share: its storage. A room's record is written
// by one tab at a time (a Web Lock per room, each write merging what the others wrote), and a tab that
// deletes stored data tells the others (a BroadcastChannel), so none goes on advertising chunks that
// are gone. Without Web Locks (old engines) writes go unlocked: still merged, rarely racing.

/** What one tab tells the others. */
export type TabEvent = { readonly type: 'room-deleted'; readonly roomId: string; readonly itemIds: readonly string[] };

/** The tabs' shared lock and message bus. */
export interface TabSync {
  /** Runs `work` while no other tab of this browser holds the lock `name`. */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /** Tells the other tabs (never this one). */
  post(event: TabEvent): void;
  /** Hears what the other tabs post; returns the unsubscribe. */
  subscribe(listener: (event: TabEvent) => void): () => void;
}

/** The channel every tab of the origin listens on. */
export const tabChannelName = 'swarmdrop:storage';

const isTabEvent = (value: unknown): value is TabEvent => {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return event.type === 'room-deleted' && typeof event.roomId === 'string' && Array.isArray(event.itemIds) && event.itemIds.every((id) => typeof id === 'string');
};

/** This browser's tab sync: Web Locks and a BroadcastChannel where the engine has them. */
export function createTabSync(): TabSync {
  const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(tabChannelName) : null;
  const listeners = new Set<(event: TabEvent) => void>();
  if (channel) channel.onmessage = (message: MessageEvent) => isTabEvent(message.data) && listeners.forEach((listener) => listener(message.data as TabEvent));
  const locks = typeof navigator === 'object' && 'locks' in navigator ? navigator.locks : null;
  return {
    withLock: (name, work) => (locks ? locks.request(name, work) : work()),
    post: (event) => channel?.postMessage(event),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** A tab sync for one tab alone (tests, and where nothing is shared). */
export const soloTab: TabSync = { withLock: (_name, work) => work(), post: () => undefined, subscribe: () => () => undefined };
