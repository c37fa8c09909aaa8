// Engine state shared by its parts, and the immutable snapshot the UI reads.
import type { SignedManifest, ManifestFile } from '../manifest';
import type { WireMessage } from '../protocol/messages';
import type { Logger, PeerLink, PieceStore } from '../ports';
import type { Bitfield } from './bitfield';

/** An item's lifecycle, as named by the UI automation contract. */
export type ItemStatus = 'available' | 'downloading' | 'paused' | 'complete' | 'error';

/** What the engine knows of one item. */
export interface ItemRecord {
  readonly signed: SignedManifest;
  readonly have: Bitfield;
  status: ItemStatus;
  verifiedBytes: number;
  error: string | null;
  /** Shared from this browser (as opposed to learned from a peer). */
  readonly local: boolean;
}

/** What the engine knows of one connected peer. */
export interface PeerRecord {
  readonly link: PeerLink;
  readonly knownItems: Set<string>;
  readonly bitfields: Map<string, Bitfield>;
  /** "itemId:chunk" the peer refused; not asked of it again. */
  readonly refused: Set<string>;
  uploadedBytes: number;
  downloadedBytes: number;
  strikes: number;
  closed: boolean;
}

/** The engine's parts share this. */
export interface SwarmContext {
  readonly items: Map<string, ItemRecord>;
  readonly peers: Map<string, PeerRecord>;
  readonly store: PieceStore;
  readonly log: Logger;
  /** Sends without waiting; failures are logged (a closing link drops its frames). */
  send(peer: PeerRecord, message: WireMessage): void;
  /** Counts a protocol offence against a peer; enough of them drop and ban it. */
  strike(peer: PeerRecord, reason: string): void;
  /** Something the UI shows changed. */
  changed(): void;
}

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
  readonly error: string | null;
  readonly local: boolean;
  /** Connected peers that hold at least one chunk of it. */
  readonly peersWithItem: number;
}

/** One connected peer as the UI sees it (byte counters; the UI turns them into speeds). */
export interface PeerView {
  readonly peerId: string;
  readonly uploadedBytes: number;
  readonly downloadedBytes: number;
}

/** Everything the UI shows about the swarm. */
export interface SwarmSnapshot {
  readonly items: readonly ItemView[];
  readonly peers: readonly PeerView[];
  readonly autoDownload: boolean;
}
