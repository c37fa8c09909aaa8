// Turns the engine's mutable records into the immutable snapshot the UI renders. An item's view is
// rebuilt only when something it shows changed, so a snapshot of many items costs a cheap check per
// item, and an unchanged item keeps its view object (a memoised row does not render again).
import { toHex } from '../bytes';
import type { ItemRecord, PeerRecord, WorkCounts } from './types';
import type { ItemView, PeerView, SwarmSnapshot } from './view-types';

/** Segments of the availability bar: fine enough to see gaps, few enough to rebuild 10 times a second. */
export const coverageSegments = 64;

function coverage(item: ItemRecord): number[] {
  const count = item.signed.manifest.chunkCount;
  if (count === 0) return [];
  const segments = Math.min(coverageSegments, count);
  const covered = new Array<number>(segments).fill(0);
  const sizes = new Array<number>(segments).fill(0);
  for (let i = 0; i < count; i++) {
    const segment = Math.floor((i * segments) / count);
    sizes[segment] = (sizes[segment] ?? 0) + 1;
    if (item.have.has(i) || (item.availability[i] ?? 0) > 0) covered[segment] = (covered[segment] ?? 0) + 1;
  }
  return covered.map((c, s) => c / (sizes[s] ?? 1));
}

/** A speed in whole KiB/s. */
const speedKiBs = (bytesPerSecond: number): number => Math.round(bytesPerSecond / 1024);

function peersHolding(itemId: string, peers: Iterable<PeerRecord>): number {
  let count = 0;
  for (const peer of peers) if ((peer.bitfields.get(itemId)?.count() ?? 0) > 0) count++;
  return count;
}

function itemView(item: ItemRecord, peersWithItem: number, downBytesPerSecond: number): ItemView {
  const { itemId, manifest } = item.signed;
  return {
    itemId,
    name: manifest.name,
    files: manifest.files,
    totalBytes: manifest.totalBytes,
    chunkCount: manifest.chunkCount,
    heldChunks: item.have.count(),
    verifiedBytes: item.verifiedBytes,
    status: item.status,
    notice: item.notice,
    local: item.local,
    peersWithItem,
    swarmCoverage: coverage(item),
    heldBitsHex: toHex(item.have.toBytes()),
    downBytesPerSecond,
  };
}

function peerView(peer: PeerRecord): PeerView {
  return {
    peerId: peer.link.peerId,
    uploadedBytes: peer.uploadedBytes,
    downloadedBytes: peer.downloadedBytes,
    upBytesPerSecond: peer.upSpeed.bytesPerSecond(),
    downBytesPerSecond: peer.downSpeed.bytesPerSecond(),
  };
}

/** What an item's view is made of: when none of it changed, the last view still holds. */
interface CachedView {
  readonly view: ItemView;
  readonly status: ItemRecord['status'];
  readonly notice: ItemRecord['notice'];
  readonly verifiedBytes: number;
  readonly heldChunks: number;
  readonly peersWithItem: number;
  readonly availabilityRevision: number;
  readonly downBytesPerSecond: number;
}

/** Builds snapshots, reusing each item's view until something it shows changes; `work` counts the views built. */
export function createSnapshotBuilder(work: Pick<WorkCounts, 'itemViewsBuilt'> = { itemViewsBuilt: 0 }) {
  const cache = new WeakMap<ItemRecord, CachedView>();
  const viewOf = (item: ItemRecord, peers: ReadonlyMap<string, PeerRecord>, speedOf: (itemId: string) => number): ItemView => {
    const peersWithItem = peersHolding(item.signed.itemId, peers.values());
    const heldChunks = item.have.count();
    // Shown while downloading only, in whole KiB/s: a finished item, or a speed that only wavers, does
    // not rebuild the row (10,000 one-chunk items would otherwise each rebuild as their speeds decay).
    const downBytesPerSecond = item.status === 'downloading' ? speedKiBs(speedOf(item.signed.itemId)) * 1024 : 0;
    const cached = cache.get(item);
    if (
      cached?.status === item.status && cached.notice === item.notice && cached.verifiedBytes === item.verifiedBytes &&
      cached.heldChunks === heldChunks && cached.peersWithItem === peersWithItem && cached.availabilityRevision === item.availabilityRevision &&
      cached.downBytesPerSecond === downBytesPerSecond
    ) {
      return cached.view;
    }
    work.itemViewsBuilt++;
    const view = itemView(item, peersWithItem, downBytesPerSecond);
    const { status, notice, verifiedBytes, availabilityRevision } = item;
    cache.set(item, { view, status, notice, verifiedBytes, heldChunks, peersWithItem, availabilityRevision, downBytesPerSecond });
    return view;
  };
  return (
    items: ReadonlyMap<string, ItemRecord>,
    peers: ReadonlyMap<string, PeerRecord>,
    settings: { autoDownload: boolean; uploadLimit: number | null; bannedPeerIds: readonly string[] },
    speedOf: (itemId: string) => number = () => 0,
  ): SwarmSnapshot => ({
    items: Array.from(items.values(), (item) => viewOf(item, peers, speedOf)),
    peers: [...peers.values()].map(peerView),
    ...settings,
  });
}
