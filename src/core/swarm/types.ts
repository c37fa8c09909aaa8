// The engine's internal records, shared by its parts; never handed to the UI (see view-types.ts).
import type { SignedManifest } from '../manifest';
import type { WireMessage } from '../protocol/messages';
import type { Logger, PeerLink, PieceStore } from '../ports';
import type { Bitfield } from './bitfield';
import type { RateMeter } from './rate-meter';
import type { RecentRoundTrip, RoundTripFloor } from './uplink-pacer';
import type { ItemNotice, ItemStatus, SwarmEvent } from './view-types';

/** What the engine knows of one item. */
export interface ItemRecord {
  readonly signed: SignedManifest;
  readonly have: Bitfield;
  status: ItemStatus;
  verifiedBytes: number;
  notice: ItemNotice | null;
  /** Shared from this browser (as opposed to learned from a peer). */
  readonly local: boolean;
  /** For each chunk, how many connected peers hold it (rarest first picks the lowest). */
  readonly availability: Uint16Array;
  /** Bumped whenever `availability` changes, so the snapshot knows to redraw the item's availability bar. */
  availabilityRevision: number;
  /** Bumped whenever some chunk's availability may have fallen (a peer left, or replaced its bitfield). */
  availabilityDrops: number;
  /**
   * First chunk of the window fetched in order, before anything else, while media plays from it
   * (null: none, rarest first as usual). Seeking moves it.
   */
  focus: number | null;
}

/** What the engine knows of one connected peer. */
export interface PeerRecord {
  readonly link: PeerLink;
  readonly knownItems: Set<string>;
  readonly bitfields: Map<string, Bitfield>;
  /** "itemId:chunk" the peer refused or sent corrupt; not asked of it again until it announces the chunk anew. */
  readonly refused: Set<string>;
  /** "itemId:chunk" whose request to this peer stalled, and until when (ms) not to ask it again. */
  readonly avoidUntil: Map<string, number>;
  /** Its measured throughput to us, which sizes how many requests it gets. */
  readonly meter: RateMeter;
  /** What we send it and what it sends us, averaged over a few seconds: the speeds people read. */
  readonly upSpeed: RateMeter;
  readonly downSpeed: RateMeter;
  uploadedBytes: number;
  downloadedBytes: number;
  strikes: number;
  closed: boolean;
  /** A request to it stalled or slowed to a drip lately: until then (ms) a seeder is not kept for what it holds. */
  unreliableUntil: number;
  /** The least round trip its link showed lately (ms): what it takes with no queue, for the upload pacer. */
  readonly roundTripFloor: RoundTripFloor;
  /** Its round trip now, filtered of single late answers, for the upload pacer. */
  readonly recentRoundTrip: RecentRoundTrip;
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
  /** Tells the application layer what happened. */
  emit(event: SwarmEvent): void;
}

/** Per-item work the engine did, counted (for tests and benches: it must grow with the items, not their square). */
export interface WorkCounts {
  /** Item views built for snapshots (an unchanged item's view is reused, not counted). */
  itemViewsBuilt: number;
  /** Items the request chooser was offered, summed over every schedule. */
  itemsScheduled: number;
}
