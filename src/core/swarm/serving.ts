// Serving chunks to peers: one queue per peer, one chunk at a time, each frame sent with backpressure.
import { encodeFrame, maxDataPayloadBytes } from '../protocol/codec';
import type { WireMessage } from '../protocol/messages';
import { maxQueuedServesPerPeer } from './constants';
import type { PeerRecord, SwarmContext } from './types';
import type { UploadLimiter } from './upload-limiter';

type RequestMessage = Extract<WireMessage, { type: 'request' }>;

interface PeerQueue {
  readonly waiting: RequestMessage[];
  /** The request being sent now, if any. */
  current: number | null;
  cancelledCurrent: boolean;
}

/** The upload side of the engine. */
export interface Serving {
  onRequest(peer: PeerRecord, message: RequestMessage): void;
  onCancel(peer: PeerRecord, requestId: number): void;
  releasePeer(peerId: string): void;
}

/** Creates the upload side over the shared context. */
export function createServing(ctx: SwarmContext, uploads: UploadLimiter): Serving {
  const queues = new Map<string, PeerQueue>();

  const sendChunk = async (peer: PeerRecord, queue: PeerQueue, request: RequestMessage): Promise<void> => {
    const bytes = await ctx.store.readChunk(request.itemId, request.chunkIndex);
    if (!bytes) {
      ctx.send(peer, { type: 'reject', requestId: request.requestId });
      return;
    }
    for (let offset = 0; offset < bytes.length; offset += maxDataPayloadBytes) {
      if (peer.closed || queue.cancelledCurrent) return;
      const slice = bytes.subarray(offset, offset + maxDataPayloadBytes);
      await uploads.take(slice.length);
      if (peer.closed || queue.cancelledCurrent) return;
      await peer.link.send(encodeFrame({ type: 'data', requestId: request.requestId, offset, bytes: slice }));
      peer.uploadedBytes += slice.length;
      ctx.changed();
    }
  };

  const pump = async (peer: PeerRecord, queue: PeerQueue): Promise<void> => {
    while (!peer.closed) {
      const request = queue.waiting.shift();
      if (!request) break;
      queue.current = request.requestId;
      queue.cancelledCurrent = false;
      try {
        await sendChunk(peer, queue, request);
      } catch (error) {
        ctx.log('serve-failed', { peerId: peer.link.peerId, error: String(error) });
        break; // the link is gone or broken; its close handler cleans up
      }
    }
    queue.current = null;
  };

  return {
    onRequest(peer, message) {
      const item = ctx.items.get(message.itemId);
      const queue = queues.get(peer.link.peerId) ?? { waiting: [], current: null, cancelledCurrent: false };
      queues.set(peer.link.peerId, queue);
      if (!item || !item.have.has(message.chunkIndex) || queue.waiting.length >= maxQueuedServesPerPeer) {
        ctx.send(peer, { type: 'reject', requestId: message.requestId });
        return;
      }
      queue.waiting.push(message);
      if (queue.current === null) {
        pump(peer, queue).catch((error: unknown) => ctx.log('serve-failed', { error: String(error) }));
      }
    },
    onCancel(peer, requestId) {
      const queue = queues.get(peer.link.peerId);
      if (!queue) return;
      const index = queue.waiting.findIndex((r) => r.requestId === requestId);
      if (index >= 0) queue.waiting.splice(index, 1);
      if (queue.current === requestId) queue.cancelledCurrent = true;
    },
    releasePeer(peerId) {
      queues.delete(peerId);
    },
  };
}


