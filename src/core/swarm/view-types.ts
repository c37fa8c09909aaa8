// What the engine shows the rest of the app: the immutable snapshot the UI reads, item statuses and
// notices, and the typed events. The engine's mutable records are in types.ts.
import type { ManifestFile } from '../manifest';

/** An item's lifecycle, as named by the UI automation contract. */
export type ItemStatus = 'available' | 'downloading' | 'paused' | 'complete' | 'error';

/**
 * Why an item is paused or stopped, as a code with its figures; the sentences people read are made
 * from it in one module (src/app/messages.ts), never in the core.
 */
export type ItemNotice =
  /** A chunk write failed because the disk is full; nothing verified is lost. */
  | { readonly code: 'storage-full' }
  /** Paused before starting to write: what is left to fetch does not fit in the free space. */
  | { readonly code: 'not-enough-storage'; readonly neededBytes: number; readonly freeBytes: number }
  /** A chunk write failed for another reason; `detail` is the storage's own message. */
  | { readonly code: 'store-failed'; readonly detail: string };

/** The notices that mean "waiting for storage space": the quota guard resumes these items. */
export function isWaitingForSpace(notice: ItemNotice | null): boolean {
  return notice?.code === 'storage-full' || notice?.code === 'not-enough-storage';
}

/** What happened in the engine, for the application layer (persistence, the quota guard, logs). */
export type SwarmEvent =
  /** An item became known here: shared from this browser, restored from storage, or learned from a peer. */
  | { readonly type: 'item-added'; readonly itemId: string; readonly local: boolean }
  /** A verified chunk was written to the store (and then announced). */
  | { readonly type: 'chunk-stored'; readonly itemId: string; readonly chunkIndex: number }
  | { readonly type: 'item-completed'; readonly itemId: string }
  /** Downloading started or resumed. */
  | { readonly type: 'item-downloading'; readonly itemId: string }
  /** Paused by the person (no notice) or for a reason (a full disk, not enough space). */
  | { readonly type: 'item-paused'; readonly itemId: string; readonly notice: ItemNotice | null }
  /** Stopped: a chunk could not be stored for a reason other than space. */
  | { readonly type: 'item-failed'; readonly itemId: string; readonly notice: ItemNotice }
  | { readonly type: 'item-forgotten'; readonly itemId: string }
  | { readonly type: 'peer-joined'; readonly peerId: string }
  | { readonly type: 'peer-left'; readonly peerId: string }
  /** Storage no longer had chunks this browser held of an item (another tab deleted them, or the browser cleared its storage): they are fetched again. */
  | { readonly type: 'chunks-missing'; readonly itemId: string; readonly name: string }
  /** The room holds as many items as it may here: items announced past `limit` are not fetched. */
  | { readonly type: 'room-item-limit'; readonly limit: number }
  /** Dropped for corrupt or malformed data; not reconnected this session. */
  | { readonly type: 'peer-banned'; readonly peerId: string; readonly reason: string };

/** One item as the UI sees it. */
export interface ItemView {
  readonly itemId: string;
  readonly name: string;
  readonly files: readonly ManifestFile[];
  readonly totalBytes: number;
  readonly chunkCount: number;
  readonly heldChunks: number;
  readonly verifiedBytes: number;
  readonly status: ItemStatus;
  readonly notice: ItemNotice | null;
  readonly local: boolean;
  /** Connected peers that hold at least one chunk of it. */
  readonly peersWithItem: number;
  /** Chunks that someone here (this peer or a connected one) holds, per bar segment, 0..1. */
  readonly swarmCoverage: readonly number[];
  /** The chunks this peer holds: the bitfield in hex (MSB first), for tools and tests. */
  readonly heldBitsHex: string;
  /** Bytes per second arriving for it, averaged as the peers' speeds are (0 when nothing arrives). */
  readonly downBytesPerSecond: number;
}

/** One connected peer as the UI sees it: byte counters, and speeds averaged over `speedWindowMs`. */
export interface PeerView {
  readonly peerId: string;
  readonly uploadedBytes: number;
  readonly downloadedBytes: number;
  readonly upBytesPerSecond: number;
  readonly downBytesPerSecond: number;
}

/** Everything the UI shows about the swarm. */
export interface SwarmSnapshot {
  readonly items: readonly ItemView[];
  readonly peers: readonly PeerView[];
  readonly autoDownload: boolean;
  /** Upload limit in bytes per second, or null for none. */
  readonly uploadLimit: number | null;
  /** Peers dropped this session for sending corrupt or malformed data. */
  readonly bannedPeerIds: readonly string[];
}
