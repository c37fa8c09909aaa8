// Message dispatch: each wire message from a peer goes to the part of the engine that owns it.
import type { WireMessage } from '../protocol/messages';
import { recordBitfield, recordHave } from './availability';
import { parseBitfield } from './bitfield';
import { maxAnnouncedItemsPerPeer } from './constants';
import type { Downloads } from './downloads';
import type { Items } from './items';
import type { ManifestFetch } from './manifest-fetch';
import type { Serving } from './serving';
import type { PeerRecord, SwarmContext } from './types';

/** The parts a message can be for. */
export interface DispatchDeps {
  readonly ctx: SwarmContext;
  readonly items: Pick<Items, 'sendBitfield'>;
  readonly manifests: ManifestFetch;
  readonly serving: Serving;
  readonly downloads: Downloads;
}

/** Handles one decoded message from a peer. */
export type Dispatch = (peer: PeerRecord, message: WireMessage) => void;

/** Creates the dispatcher; availability (bitfield, have) is recorded here. */
export function createDispatch(deps: DispatchDeps): Dispatch {
  const { ctx, manifests, serving, downloads } = deps;
  /** Peers whose announcements past the limit were logged. */
  const overAnnounced = new WeakSet<PeerRecord>();
  return (peer, message) => {
    switch (message.type) {
      case 'items':
        for (const itemId of message.itemIds) {
          if (!peer.knownItems.has(itemId) && peer.knownItems.size >= maxAnnouncedItemsPerPeer) {
            if (!overAnnounced.has(peer)) ctx.log('announcements-ignored', { peerId: peer.link.peerId, limit: maxAnnouncedItemsPerPeer });
            overAnnounced.add(peer); // said once per peer
            return;
          }
          peer.knownItems.add(itemId);
          if (ctx.items.has(itemId)) deps.items.sendBitfield(peer, itemId);
          else manifests.want(itemId, peer);
        }
        return;
      case 'get-manifest':
        return manifests.serve(peer, message.itemId);
      case 'manifest-part':
        return manifests.onPart(peer, message);
      case 'bitfield': {
        const item = ctx.items.get(message.itemId);
        const field = item && parseBitfield(item.signed.manifest.chunkCount, message.bits);
        if (!item) return;
        if (!field) return ctx.strike(peer, 'malformed bitfield');
        recordBitfield(item, peer, field);
        downloads.consider(message.itemId);
        downloads.schedule();
        return ctx.changed();
      }
      case 'have': {
        const item = ctx.items.get(message.itemId);
        if (!item) return;
        if (message.chunkIndex >= item.signed.manifest.chunkCount) return ctx.strike(peer, 'have past the item end');
        recordHave(item, peer, message.chunkIndex);
        downloads.consider(message.itemId);
        downloads.schedule();
        return ctx.changed();
      }
      case 'request':
        return serving.onRequest(peer, message);
      case 'cancel':
        return serving.onCancel(peer, message.requestId);
      case 'data':
        return downloads.onData(peer, message);
      case 'reject':
        return downloads.onReject(peer, message.requestId);
    }
  };
}
