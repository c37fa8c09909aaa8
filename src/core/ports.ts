// The interfaces the core needs from the outside world; each has a real adapter and an in-memory fake.
import type { SignedManifest } from './manifest';

/** A reliable, ordered, message-based link to one remote peer (a WebRTC data channel in the app). */
export interface PeerLink {
  /** The remote peer's id (from discovery). */
  readonly peerId: string;
  /**
   * Sends one frame; resolves once it is queued below the link's high watermark. Rejects if the link
   * closed, or if the frame is larger than the channel takes (256 KiB in Chromium; the codec keeps frames
   * at 64 KiB). An empty frame is accepted but never delivered (WebRTC through simple-peer drops it).
   * Both the in-memory and the WebRTC link pass src/test-support/peer-link-compliance.ts.
   */
  send(frame: Uint8Array): Promise<void>;
  /** Closes the link; `listen`'s close handler fires once. */
  close(reason?: string): void;
  /** Installs the engine's handlers; frames received before this call are delivered to it. */
  listen(handlers: PeerLinkHandlers): void;
  /** The link's latest measured round trip in ms, or null before one is known (the upload pacer reads queueing delay from it); absent where links have none. */
  roundTripMs?(): number | null;
}

/** What a PeerLink reports to the engine. */
export interface PeerLinkHandlers {
  frame(frame: Uint8Array): void;
  close(error?: Error): void;
}

/** Code of the error a PieceStore rejects with when the disk (or the browser's quota) is full. */
export const storageFullCode = 'ERR_STORAGE_FULL';

/** The storage adapter's way of saying "the disk is full": the engine pauses instead of failing. */
export class StorageFullError extends Error {
  readonly code = storageFullCode;
  constructor(message = 'storage is full') {
    super(message);
    this.name = 'StorageFullError';
  }
}

/** True for a StorageFullError, by its code (so it also holds across realms and copies). */
export function isStorageFullError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === storageFullCode;
}

/** Where verified chunks and manifests live (IndexedDB in the app). */
export interface PieceStore {
  /** Keeps a verified manifest. */
  putManifest(itemId: string, bytes: Uint8Array): Promise<void>;
  /** Keeps a verified chunk; resolves once the write is durable (the engine announces it after that). Rejects with StorageFullError when the disk is full. */
  putChunk(itemId: string, chunkIndex: number, bytes: Uint8Array): Promise<void>;
  /** Reads a chunk this peer holds, or null if it does not hold it. */
  readChunk(itemId: string, chunkIndex: number): Promise<Uint8Array | null>;
}

/** A structured log line: never secrets, never payloads. */
export type Logger = (event: string, fields?: Record<string, unknown>) => void;

/** The relay connection's state, as the page shows it. */
/** 'room-full': connected, but the relay has no room for us in this room's topic yet (retrying). */
export type RelayStatus = 'connecting' | 'open' | 'closed' | 'room-full';

/** What room persistence needs of the item store (the files adapter over IndexedDB in the app). */
export interface KeptItemStore {
  /** A stored manifest's bytes, or null. */
  getManifest(itemId: string): Promise<Uint8Array | null>;
  /** One item's stored chunk indexes. */
  heldChunksOf(itemId: string): Promise<number[]>;
  /** Copies a shared item's chunks from the dropped files into storage (progress: chunks copied / chunk count). */
  keepLocalItem(signed: SignedManifest, onProgress?: (copied: number, total: number) => void): Promise<void>;
  /** Deletes an item's chunks and manifest, and stops serving it from files. */
  deleteItem(itemId: string): Promise<void>;
}

/** The route a connection's bytes take: straight between the peers, or through a TURN relay. */
export type Route = 'direct' | 'relay';

/** What the check of a peer's DTLS certificate against its authenticated SDP fingerprint concluded. */
export type FingerprintCheck = 'match' | 'mismatch' | 'unavailable';

/** Where each WebRTC connection's reports go (the app's peer status board implements it). */
export interface ConnectionReports {
  connecting(peerId: string): void;
  opened(peerId: string): void;
  route(peerId: string, route: Route): void;
  fingerprint(peerId: string, result: FingerprintCheck): void;
  recovering(peerId: string, on: boolean): void;
  /** The attempt or link ended; `unreachable` when no network path to the peer worked (else it just left). */
  closed(peerId: string, unreachable: boolean): void;
}
