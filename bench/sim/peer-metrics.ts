// What the simulation measures of each peer from the frames crossing its links (the engine keeps no
// such counters): data bytes up and down, bytes buffered (link queues and chunks partly received for
// open requests) with their peak, and bytes received that were not needed (duplicates, endgame copies).
import { chunkLength, type ChunkLayout } from '../../src/core/chunk-layout';
import { decodeFrame } from '../../src/core/protocol/codec';
import type { LinkTap } from './sim-link';

/** One peer's figures. */
export interface PeerCounters {
  /** Payload bytes of data frames sent and received. */
  dataSentBytes: number;
  dataReceivedBytes: number;
  /** Of those received, the bytes of requests this peer cancelled (an endgame copy lost, a stall withdrawn), before or after the cancel. */
  cancelledBytes: number;
  /** Bytes buffered now: queued on its links plus chunk bytes received for requests not yet complete. */
  bufferedBytes: number;
  /** The most `bufferedBytes` ever was. */
  peakBufferedBytes: number;
  /** Requests this peer has open (sent, not yet whole, cancelled or rejected), over all its links. */
  openRequests: number;
}

/** An open request's chunk: its length and the bytes received so far. */
interface OpenRequest {
  readonly lengthBytes: number;
  receivedBytes: number;
}

/** Fresh counters. */
export const emptyCounters = (): PeerCounters => ({ dataSentBytes: 0, dataReceivedBytes: 0, cancelledBytes: 0, bufferedBytes: 0, peakBufferedBytes: 0, openRequests: 0 });

/** The tap of one peer's link to one remote: it counts into `counters`. */
export function createLinkTap(counters: PeerCounters, layout: ChunkLayout): LinkTap {
  /** Requests this peer sent on this link, by request id. */
  const open = new Map<number, OpenRequest>();
  /** Requests this peer cancelled on this link: their data, still arriving, was not needed. */
  const cancelled = new Set<number>();
  const buffer = (deltaBytes: number): void => {
    counters.bufferedBytes += deltaBytes;
    counters.peakBufferedBytes = Math.max(counters.peakBufferedBytes, counters.bufferedBytes);
  };
  const drop = (requestId: number): void => {
    const request = open.get(requestId);
    if (!request) return;
    buffer(-request.receivedBytes);
    counters.openRequests--;
    open.delete(requestId);
  };
  return {
    sent(frame) {
      const message = decodeFrame(frame);
      if (message?.type === 'data') counters.dataSentBytes += message.bytes.length;
      else if (message?.type === 'request' && message.chunkIndex < layout.chunkCount) {
        drop(message.requestId);
        open.set(message.requestId, { lengthBytes: chunkLength(layout, message.chunkIndex), receivedBytes: 0 });
        counters.openRequests++;
      } else if (message?.type === 'cancel') {
        counters.cancelledBytes += open.get(message.requestId)?.receivedBytes ?? 0;
        cancelled.add(message.requestId);
        drop(message.requestId);
      }
    },
    received(frame) {
      const message = decodeFrame(frame);
      if (message?.type === 'reject') drop(message.requestId);
      if (message?.type !== 'data') return;
      counters.dataReceivedBytes += message.bytes.length;
      if (cancelled.has(message.requestId)) counters.cancelledBytes += message.bytes.length;
      const request = open.get(message.requestId);
      if (!request) return;
      request.receivedBytes += message.bytes.length;
      buffer(message.bytes.length);
      if (request.receivedBytes >= request.lengthBytes) drop(message.requestId);
    },
    buffered: buffer,
    closed() {
      for (const requestId of [...open.keys()]) drop(requestId);
    },
  };
}
