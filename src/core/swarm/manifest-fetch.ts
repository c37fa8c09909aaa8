// Learning items from peers: ask one peer at a time for a manifest, reassemble it, and accept it
// only if it hashes to the id it was announced under (and is within the size limits).
import { parseManifest, type SignedManifest } from '../manifest';
import { maxManifestPartBytes } from '../protocol/codec';
import { maxManifestBytes } from '../protocol/limits';
import type { WireMessage } from '../protocol/messages';
import type { PeerRecord, SwarmContext } from './types';

interface PendingManifest {
  readonly peerId: string;
  buffer: Uint8Array | null;
  received: number;
}

/** The manifest side of the engine. */
export interface ManifestFetch {
  /** A peer announced an item we lack: fetch its manifest unless a fetch is under way. */
  want(itemId: string, peer: PeerRecord): void;
  onPart(peer: PeerRecord, message: Extract<WireMessage, { type: 'manifest-part' }>): void;
  /** Serves one of our manifests in parts. */
  serve(peer: PeerRecord, itemId: string): void;
  /** A peer left: fetches from it move to another peer that announced the item. */
  releasePeer(peerId: string): void;
}

/** Creates the manifest side; `accepted` is called once per verified new manifest. */
export function createManifestFetch(ctx: SwarmContext, accepted: (signed: SignedManifest) => void): ManifestFetch {
  const pending = new Map<string, PendingManifest>();
  /** Peers that sent a bad manifest for an item are not asked for it again. */
  const failedFrom = new Set<string>();

  const askSomeone = (itemId: string): void => {
    pending.delete(itemId);
    for (const peer of ctx.peers.values()) {
      if (!peer.closed && peer.knownItems.has(itemId) && !failedFrom.has(`${peer.link.peerId}:${itemId}`)) {
        api.want(itemId, peer);
        return;
      }
    }
  };

  const fail = (peer: PeerRecord, itemId: string, reason: string): void => {
    failedFrom.add(`${peer.link.peerId}:${itemId}`);
    ctx.strike(peer, reason);
    askSomeone(itemId);
  };

  const complete = async (peer: PeerRecord, itemId: string, bytes: Uint8Array): Promise<void> => {
    const signed = await parseManifest(bytes, itemId);
    if (!signed) return fail(peer, itemId, 'manifest does not match its item id or is invalid');
    pending.delete(itemId);
    if (!ctx.items.has(itemId)) accepted(signed);
  };

  const api: ManifestFetch = {
    want(itemId, peer) {
      if (pending.has(itemId) || ctx.items.has(itemId)) return;
      pending.set(itemId, { peerId: peer.link.peerId, buffer: null, received: 0 });
      ctx.send(peer, { type: 'get-manifest', itemId });
    },
    onPart(peer, message) {
      const entry = pending.get(message.itemId);
      if (!entry || entry.peerId !== peer.link.peerId) return; // unasked-for parts are ignored
      if (message.totalBytes > maxManifestBytes || message.totalBytes === 0) {
        return fail(peer, message.itemId, `manifest of ${message.totalBytes} bytes is outside the limits`);
      }
      entry.buffer ??= new Uint8Array(message.totalBytes);
      if (entry.buffer.length !== message.totalBytes || message.offset !== entry.received) {
        return fail(peer, message.itemId, 'manifest parts out of order');
      }
      entry.buffer.set(message.bytes, message.offset);
      entry.received += message.bytes.length;
      if (entry.received < entry.buffer.length) return;
      complete(peer, message.itemId, entry.buffer).catch((error: unknown) =>
        ctx.log('manifest-failed', { error: String(error) }),
      );
    },
    serve(peer, itemId) {
      const item = ctx.items.get(itemId);
      if (!item) return;
      const bytes = item.signed.bytes;
      for (let offset = 0; offset < bytes.length; offset += maxManifestPartBytes) {
        const part = bytes.subarray(offset, offset + maxManifestPartBytes);
        ctx.send(peer, { type: 'manifest-part', itemId, totalBytes: bytes.length, offset, bytes: part });
      }
    },
    releasePeer(peerId) {
      for (const [itemId, entry] of [...pending]) if (entry.peerId === peerId) askSomeone(itemId);
    },
  };
  return api;
}
