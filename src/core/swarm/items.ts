// The items the engine knows: one record factory, the three ways an item arrives (shared here,
// restored from storage, learned from a peer), and what the person does to one (download, pause,
// forget).
import { chunkLength } from '../chunk-layout';
import type { SignedManifest } from '../manifest';
import { maxItemIdsPerFrame } from '../protocol/limits';
import { emptyAvailability } from './availability';
import { createBitfield, fullBitfield, type Bitfield } from './bitfield';
import type { Downloads } from './downloads';
import type { ItemRecord, PeerRecord, SwarmContext } from './types';
import type { ItemNotice, ItemStatus } from './view-types';

/** What differs between items when they are first recorded. */
export interface NewItem {
  readonly have: Bitfield;
  readonly status: ItemStatus;
  readonly verifiedBytes: number;
  /** Shared from this browser (as opposed to learned from a peer). */
  readonly local: boolean;
}

/** The one place an ItemRecord is built: no notice yet, and no peer counted toward any chunk. */
export function createItemRecord(signed: SignedManifest, init: NewItem): ItemRecord {
  const { have, status, verifiedBytes, local } = init;
  return { signed, have, status, verifiedBytes, notice: null, local, availability: emptyAvailability(signed.manifest.chunkCount), availabilityRevision: 0, availabilityDrops: 0, focus: null };
}

/** What the item operations are built over. */
export interface ItemsDeps {
  readonly ctx: SwarmContext;
  readonly downloads: Pick<Downloads, 'schedule' | 'cancelItem'>;
  /** Whether an item learned from a peer starts downloading at once. */
  readonly autoDownload: () => boolean;
}

/** The item side of the engine. */
export interface Items {
  /** An item this browser holds in full; its manifest is written to the store here. */
  share(signed: SignedManifest): void;
  /** An item brought back from storage with these chunks verified; resumed if incomplete. */
  restore(signed: SignedManifest, heldChunks: Iterable<number>, local: boolean): void;
  /** A verified manifest fetched from a peer: stored, then recorded. */
  learn(signed: SignedManifest): void;
  forget(itemId: string): void;
  download(itemId: string): void;
  pause(itemId: string, reason?: ItemNotice): void;
  /** Chunks found missing or damaged in storage: no longer held, fetched again, and peers told. */
  lose(itemId: string, chunkIndexes: Iterable<number>): void;
  /** Tells a newly connected peer every item we know, in frames of at most `maxItemIdsPerFrame`. */
  greet(peer: PeerRecord): void;
  /** Tells a peer which chunks of an item we hold. */
  sendBitfield(peer: PeerRecord, itemId: string): void;
}

/** Creates the item operations over the shared context. */
export function createItems(deps: ItemsDeps): Items {
  const { ctx, downloads } = deps;
  const { items } = ctx;
  const logStoreFailed = (error: unknown): void => ctx.log('manifest-store-failed', { error: String(error) });

  const sendBitfield = (peer: PeerRecord, itemId: string): void => {
    const item = items.get(itemId);
    if (item) ctx.send(peer, { type: 'bitfield', itemId, bits: item.have.toBytes() });
  };
  const announce = (itemId: string): void => {
    for (const peer of ctx.peers.values()) {
      ctx.send(peer, { type: 'items', itemIds: [itemId] });
      if (peer.knownItems.has(itemId)) sendBitfield(peer, itemId);
    }
  };
  const add = (record: ItemRecord): void => {
    items.set(record.signed.itemId, record);
    announce(record.signed.itemId);
    downloads.schedule();
    ctx.changed();
    // Emitted after the change is recorded, so a listener reading the snapshot sees the item.
    ctx.emit({ type: 'item-added', itemId: record.signed.itemId, local: record.local });
  };

  return {
    share(signed) {
      if (items.has(signed.itemId)) return;
      // The engine writes every manifest it holds (fetched ones in `learn`): one owner.
      ctx.store.putManifest(signed.itemId, signed.bytes).catch(logStoreFailed);
      const have = fullBitfield(signed.manifest.chunkCount);
      add(createItemRecord(signed, { have, status: 'complete', verifiedBytes: signed.manifest.totalBytes, local: true }));
    },
    restore(signed, heldChunks, local) {
      if (items.has(signed.itemId)) return;
      const { manifest } = signed;
      const have = createBitfield(manifest.chunkCount);
      let verifiedBytes = 0;
      for (const index of heldChunks) {
        if (index < 0 || index >= manifest.chunkCount || have.has(index)) continue;
        have.set(index);
        verifiedBytes += chunkLength(manifest.layout, index);
      }
      const status = have.count() === manifest.chunkCount ? 'complete' : 'downloading';
      add(createItemRecord(signed, { have, status, verifiedBytes, local }));
    },
    learn(signed) {
      ctx.store.putManifest(signed.itemId, signed.bytes).then(() => {
        if (items.has(signed.itemId)) return;
        const status = deps.autoDownload() ? 'downloading' : 'available';
        add(createItemRecord(signed, { have: createBitfield(signed.manifest.chunkCount), status, verifiedBytes: 0, local: false }));
      }, logStoreFailed);
    },
    forget(itemId) {
      if (!items.has(itemId)) return;
      downloads.cancelItem(itemId);
      items.delete(itemId);
      ctx.emit({ type: 'item-forgotten', itemId });
      ctx.changed();
    },
    download(itemId) {
      const item = items.get(itemId);
      if (!item || item.status === 'complete' || item.status === 'downloading') return;
      item.status = 'downloading';
      item.notice = null;
      downloads.schedule();
      ctx.changed();
      ctx.emit({ type: 'item-downloading', itemId });
    },
    pause(itemId, reason) {
      const item = items.get(itemId);
      if (!item || item.status !== 'downloading') return;
      item.status = 'paused';
      item.notice = reason ?? null;
      downloads.cancelItem(itemId);
      ctx.changed();
      ctx.emit({ type: 'item-paused', itemId, notice: item.notice });
    },
    lose(itemId, chunkIndexes) {
      const item = items.get(itemId);
      if (!item) return;
      let lost = 0;
      for (const index of chunkIndexes) {
        if (!item.have.has(index)) continue;
        item.have.clear(index);
        item.verifiedBytes -= chunkLength(item.signed.manifest.layout, index);
        lost += 1;
      }
      if (lost === 0) return;
      // A bitfield replaces what a peer knew of ours, so nobody asks us for what we lost.
      for (const peer of ctx.peers.values()) if (peer.knownItems.has(itemId)) sendBitfield(peer, itemId);
      item.status = 'downloading';
      item.notice = null;
      downloads.schedule();
      ctx.changed();
      ctx.emit({ type: 'item-downloading', itemId });
    },
    greet(peer) {
      const ids = [...items.keys()];
      for (let i = 0; i < ids.length; i += maxItemIdsPerFrame) {
        ctx.send(peer, { type: 'items', itemIds: ids.slice(i, i + maxItemIdsPerFrame) });
      }
    },
    sendBitfield,
  };
}
