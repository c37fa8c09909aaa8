// What each connected peer holds, and per chunk how many of them hold it (for rarest-first).
import { chunkKey } from './claims';
import { createBitfield, type Bitfield } from './bitfield';
import type { ItemRecord, PeerRecord } from './types';

function count(item: ItemRecord, field: Bitfield, delta: 1 | -1): void {
  item.availabilityRevision++;
  if (delta < 0) item.availabilityDrops++;
  for (let i = 0; i < field.size; i++) {
    if (field.has(i)) item.availability[i] = (item.availability[i] ?? 0) + delta;
  }
}

/** A peer's full bitfield for an item replaces what we knew of it. */
export function recordBitfield(item: ItemRecord, peer: PeerRecord, field: Bitfield): void {
  const { itemId } = item.signed;
  const before = peer.bitfields.get(itemId);
  if (before) count(item, before, -1);
  peer.bitfields.set(itemId, field);
  count(item, field, 1);
}

/** A peer stored one more chunk; a chunk it once refused may be asked of it again. */
export function recordHave(item: ItemRecord, peer: PeerRecord, chunkIndex: number): void {
  const { itemId, manifest } = item.signed;
  const field = peer.bitfields.get(itemId) ?? createBitfield(manifest.chunkCount);
  peer.bitfields.set(itemId, field);
  if (!field.has(chunkIndex)) {
    field.set(chunkIndex);
    item.availability[chunkIndex] = (item.availability[chunkIndex] ?? 0) + 1;
    item.availabilityRevision++;
  }
  peer.refused.delete(chunkKey(itemId, chunkIndex));
}

/** A departed peer no longer counts toward any chunk's availability. */
export function forgetPeer(items: ReadonlyMap<string, ItemRecord>, peer: PeerRecord): void {
  for (const [itemId, field] of peer.bitfields) {
    const item = items.get(itemId);
    if (item) count(item, field, -1);
  }
  peer.bitfields.clear();
}

/** A newly known item's availability: zero for every chunk until peers' bitfields arrive. */
export function emptyAvailability(chunkCount: number): Uint16Array {
  return new Uint16Array(chunkCount);
}
