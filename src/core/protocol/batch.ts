// Several frames in one data-channel message. Each `send` on an RTCDataChannel costs the page a
// fixed ~0.1 ms whatever its size (2,000 small items: 555 ms of a sharer's main thread in sends),
// so a link packs the small frames queued together into one message and the receiving link
// unpacks them. The engine never sees a batch: it gets the frames one by one, in order.

/** The batch's type byte: beside the codec's 1–9, never reused. */
export const batchTypeByte = 10;

/** Bytes before each packed frame: its u32 length (a lone frame is wrapped whatever its size, see packFrames). */
export const batchLengthBytes = 4;

/** Bytes a frame adds to a batch: its length prefix and itself. */
export const packedBytes = (frame: Uint8Array): number => batchLengthBytes + frame.length;

/**
 * Packs non-empty frames into one message: the type byte, then each frame after its u32 length. The
 * caller keeps a batch of several frames within the frame limit. Unpacking goes one level deep, so a
 * frame that itself begins with the batch byte travels as a batch of one and arrives unchanged.
 */
export function packFrames(frames: readonly Uint8Array[]): Uint8Array {
  const message = new Uint8Array(frames.reduce((sum, frame) => sum + packedBytes(frame), 1));
  const view = new DataView(message.buffer);
  message[0] = batchTypeByte;
  let at = 1;
  for (const frame of frames) {
    if (frame.length === 0) throw new TypeError('a batch holds non-empty frames');
    view.setUint32(at, frame.length);
    message.set(frame, at + batchLengthBytes);
    at += packedBytes(frame);
  }
  return message;
}

/**
 * The frames of a batch, as views of it; null when `message` is not a well-formed batch (not
 * batch-typed, nothing packed, a length running past its end, an empty frame).
 */
export function unpackFrames(message: Uint8Array): Uint8Array[] | null {
  if (message[0] !== batchTypeByte) return null;
  const view = new DataView(message.buffer, message.byteOffset, message.byteLength);
  const frames: Uint8Array[] = [];
  let at = 1;
  while (at < message.length) {
    if (at + batchLengthBytes > message.length) return null;
    const length = view.getUint32(at);
    const start = at + batchLengthBytes;
    const end = start + length;
    if (length === 0 || end > message.length) return null;
    frames.push(message.subarray(start, end));
    at = end;
  }
  return frames.length > 0 ? frames : null;
}

/**
 * What a receiving link hands on for one message: a batch's frames, or the message itself. A
 * malformed batch goes on whole, and the codec refuses it (type 10 is no frame), a strike against its sender.
 */
export function framesOfMessage(message: Uint8Array): Uint8Array[] {
  return message[0] === batchTypeByte ? (unpackFrames(message) ?? [message]) : [message];
}
