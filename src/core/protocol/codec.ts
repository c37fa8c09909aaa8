// Binary codec for WireMessage: one type byte, fixed big-endian fields, then a payload.
// decodeFrame never throws: anything malformed or oversized decodes to null.
import { fromHex, toHex } from '../bytes';
import { maxFrameBytes, maxItemIdsPerFrame } from './limits';
import type { WireMessage } from './messages';

const itemIdBytes = 32;

/** Type byte of each message; values are part of the wire format, never reuse one (10 is a link's batch: batch.ts). */
const typeCodes = {
  items: 1,
  'get-manifest': 2,
  'manifest-part': 3,
  bitfield: 4,
  have: 5,
  request: 6,
  cancel: 7,
  data: 8,
  reject: 9,
} as const satisfies Record<WireMessage['type'], number>;

/** Whether an encoded frame is chunk data (bulk), as opposed to a control message (small, and waited on). */
export const isDataFrame = (frame: Uint8Array): boolean => frame[0] === typeCodes.data;

/** Header bytes before a `data` payload: type, request id, offset. */
export const dataHeaderBytes = 1 + 4 + 4;

/** Header bytes before a `manifest-part` payload: type, item id, total, offset. */
export const manifestPartHeaderBytes = 1 + itemIdBytes + 4 + 4;

/** Largest payload of one `data` frame. */
export const maxDataPayloadBytes = maxFrameBytes - dataHeaderBytes;

/** Largest payload of one `manifest-part` frame. */
export const maxManifestPartBytes = maxFrameBytes - manifestPartHeaderBytes;

class FrameWriter {
  private readonly bytes: Uint8Array;
  private readonly view: DataView;
  private at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(value: number): this {
    this.view.setUint8(this.at, value);
    this.at += 1;
    return this;
  }
  u16(value: number): this {
    this.view.setUint16(this.at, value);
    this.at += 2;
    return this;
  }
  u32(value: number): this {
    this.view.setUint32(this.at, value);
    this.at += 4;
    return this;
  }
  raw(value: Uint8Array): this {
    this.bytes.set(value, this.at);
    this.at += value.length;
    return this;
  }
  itemId(id: string): this {
    const raw = fromHex(id);
    if (!raw || raw.length !== itemIdBytes) throw new TypeError(`not an item id: ${id.slice(0, 16)}`);
    return this.raw(raw);
  }
  done(): Uint8Array {
    return this.bytes;
  }
}

function assertU32(value: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`${what} out of range`);
}

/** Encodes a message; throws on a message we must never send (a bug, not bad input). */
export function encodeFrame(message: WireMessage): Uint8Array {
  const code = typeCodes[message.type];
  let frame: Uint8Array;
  switch (message.type) {
    case 'items': {
      if (message.itemIds.length > maxItemIdsPerFrame) throw new RangeError('too many item ids for one frame');
      const w = new FrameWriter(3 + itemIdBytes * message.itemIds.length).u8(code).u16(message.itemIds.length);
      for (const id of message.itemIds) w.itemId(id);
      frame = w.done();
      break;
    }
    case 'get-manifest':
      frame = new FrameWriter(1 + itemIdBytes).u8(code).itemId(message.itemId).done();
      break;
    case 'manifest-part':
      assertU32(message.totalBytes, 'manifest size');
      assertU32(message.offset, 'manifest offset');
      frame = new FrameWriter(manifestPartHeaderBytes + message.bytes.length)
        .u8(code).itemId(message.itemId).u32(message.totalBytes).u32(message.offset).raw(message.bytes).done();
      break;
    case 'bitfield':
      frame = new FrameWriter(1 + itemIdBytes + message.bits.length).u8(code).itemId(message.itemId).raw(message.bits).done();
      break;
    case 'have':
      assertU32(message.chunkIndex, 'chunk index');
      frame = new FrameWriter(1 + itemIdBytes + 4).u8(code).itemId(message.itemId).u32(message.chunkIndex).done();
      break;
    case 'request':
      assertU32(message.requestId, 'request id');
      assertU32(message.chunkIndex, 'chunk index');
      frame = new FrameWriter(1 + 4 + itemIdBytes + 4)
        .u8(code).u32(message.requestId).itemId(message.itemId).u32(message.chunkIndex).done();
      break;
    case 'cancel':
    case 'reject':
      assertU32(message.requestId, 'request id');
      frame = new FrameWriter(5).u8(code).u32(message.requestId).done();
      break;
    case 'data':
      assertU32(message.requestId, 'request id');
      assertU32(message.offset, 'data offset');
      frame = new FrameWriter(dataHeaderBytes + message.bytes.length)
        .u8(code).u32(message.requestId).u32(message.offset).raw(message.bytes).done();
      break;
  }
  if (frame.length > maxFrameBytes) throw new RangeError(`${message.type} frame of ${frame.length} bytes exceeds the limit`);
  return frame;
}

function readItemId(frame: Uint8Array, at: number): string {
  return toHex(frame.subarray(at, at + itemIdBytes));
}

/** Decodes one frame; null for an empty, oversized, unknown or wrongly sized frame. Payloads are views, not copies. */
export function decodeFrame(frame: Uint8Array): WireMessage | null {
  if (frame.length === 0 || frame.length > maxFrameBytes) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const size = frame.length;
  switch (frame[0]) {
    case typeCodes.items: {
      if (size < 3) return null;
      const count = view.getUint16(1);
      if (count > maxItemIdsPerFrame || size !== 3 + count * itemIdBytes) return null;
      const itemIds = Array.from({ length: count }, (_, i) => readItemId(frame, 3 + i * itemIdBytes));
      return { type: 'items', itemIds };
    }
    case typeCodes['get-manifest']:
      return size === 1 + itemIdBytes ? { type: 'get-manifest', itemId: readItemId(frame, 1) } : null;
    case typeCodes['manifest-part']: {
      if (size < manifestPartHeaderBytes) return null;
      const totalBytes = view.getUint32(33);
      const offset = view.getUint32(37);
      const bytes = frame.subarray(manifestPartHeaderBytes);
      if (offset + bytes.length > totalBytes) return null;
      return { type: 'manifest-part', itemId: readItemId(frame, 1), totalBytes, offset, bytes };
    }
    case typeCodes.bitfield:
      return size >= 1 + itemIdBytes ? { type: 'bitfield', itemId: readItemId(frame, 1), bits: frame.subarray(33) } : null;
    case typeCodes.have:
      return size === 37 ? { type: 'have', itemId: readItemId(frame, 1), chunkIndex: view.getUint32(33) } : null;
    case typeCodes.request:
      if (size !== 41) return null;
      return { type: 'request', requestId: view.getUint32(1), itemId: readItemId(frame, 5), chunkIndex: view.getUint32(37) };
    case typeCodes.cancel:
      return size === 5 ? { type: 'cancel', requestId: view.getUint32(1) } : null;
    case typeCodes.reject:
      return size === 5 ? { type: 'reject', requestId: view.getUint32(1) } : null;
    case typeCodes.data:
      if (size < dataHeaderBytes) return null;
      return { type: 'data', requestId: view.getUint32(1), offset: view.getUint32(5), bytes: frame.subarray(dataHeaderBytes) };
    default:
      return null;
  }
}
