// In-memory PeerLink pairs for engine tests: asynchronous, ordered delivery with backpressure like a
// data channel's bufferedAmount, and fault injection. Passes test-support/peer-link-compliance.ts.
import type { PeerLink, PeerLinkHandlers } from '../core/ports';
import { highWatermarkBytes, lowWatermarkBytes } from '../transport/constants';

/** Rewrites (or drops, by returning null) frames one side sends: fault injection for tests. */
export type FrameTamper = (frame: Uint8Array) => Uint8Array | null;

/** How a pair buffers; the defaults are the WebRTC link's (transport/constants.ts), so engine tests see its pacing. */
export interface LinkPairOptions {
  /** send() waits while more than this many bytes are queued on its side (like bufferedAmount). */
  readonly highWatermarkBytes?: number;
  /** A waiting send() goes on once the queue drains to this (like bufferedamountlow). */
  readonly lowWatermarkBytes?: number;
  /** send() rejects a bigger frame and the link stays open, as a data channel does past its max-message-size. */
  readonly maxMessageBytes?: number;
}

/** Chromium's data-channel max-message-size (its SDP's a=max-message-size), the fake's default. */
export const defaultMaxMessageBytes = 256 * 1024;

/** One direction's queue: frames sent but not yet delivered, and the sends waiting for room. */
interface Side extends PeerLink {
  deliver(frame: Uint8Array): void;
  hangUp(error?: Error): void;
  /** Delivers queued frames unless stalled; `force` flushes even then (a closing link). */
  pump(force?: boolean): void;
  /** Delivers queued frames on a later task. */
  drainSoon(): void;
  readonly queuedBytes: number;
}

interface SideConfig {
  readonly peerId: string;
  readonly other: () => Side;
  readonly tamper: () => FrameTamper | null;
  readonly stalled: () => boolean;
  readonly high: number;
  readonly low: number;
  readonly maxMessage: number;
}

function createSide(config: SideConfig): Side {
  let handlers: PeerLinkHandlers | null = null;
  const early: Uint8Array[] = [];
  const queue: Uint8Array[] = [];
  let queuedBytes = 0;
  let closed = false;
  let pumpScheduled = false;
  let queueTail: Promise<void> = Promise.resolve();
  /** Woken when the queue drains to the low watermark, or the link closes. */
  const wakeUps: (() => void)[] = [];
  const wake = (): void => {
    for (const wakeUp of wakeUps.splice(0)) wakeUp();
  };
  const scheduleDrain = (): void => {
    if (pumpScheduled) return;
    pumpScheduled = true;
    setTimeout(() => {
      pumpScheduled = false;
      side.pump();
    }, 0);
  };

  const sendNow = async (frame: Uint8Array): Promise<void> => {
    while (!closed && queuedBytes > config.high) await new Promise<void>((resolve) => wakeUps.push(resolve));
    if (closed) throw new Error('link closed');
    if (frame.length > config.maxMessage) throw new RangeError(`frame of ${frame.length} bytes is larger than max-message-size`);
    const rewrite = config.tamper();
    const out = rewrite ? rewrite(frame) : frame;
    // As the WebRTC link: simple-peer's stream drops an empty message, so an empty frame never arrives.
    if (!out || out.length === 0) return;
    queue.push(out);
    queuedBytes += out.length;
    scheduleDrain();
  };

  const side: Side = {
    peerId: config.peerId,
    get queuedBytes() {
      return queuedBytes;
    },
    drainSoon: scheduleDrain,
    send(frame) {
      // The caller may reuse its buffer once send() returns: queue a copy.
      const copy = frame.slice();
      const sent = queueTail.then(() => sendNow(copy));
      // The caller gets `sent` and handles its failure; the chain itself must keep going.
      queueTail = sent.catch(() => undefined);
      return sent;
    },
    close() {
      if (closed) return;
      side.hangUp();
      // What was queued before close still arrives, then the other end hears the close.
      setTimeout(() => {
        side.pump(true);
        config.other().hangUp();
      }, 0);
    },
    listen(h) {
      handlers = h;
      for (const frame of early.splice(0)) h.frame(frame);
    },
    pump(force = false) {
      if (!force && (closed || config.stalled())) return;
      const other = config.other();
      while (queue.length > 0) {
        const frame = queue.shift() as Uint8Array;
        queuedBytes -= frame.length;
        other.deliver(frame);
      }
      if (queuedBytes <= config.low) wake();
    },
    deliver(frame) {
      if (closed) return;
      if (handlers) handlers.frame(frame);
      else early.push(frame);
    },
    hangUp(error) {
      if (closed) return;
      closed = true;
      wake();
      handlers?.close(error);
    },
  };
  return side;
}

/** Two connected links: `a` is held by peer `aId` and talks to `bId`, and the reverse. */
export function createLinkPair(
  aId: string,
  bId: string,
  options: LinkPairOptions = {},
): {
  a: PeerLink;
  b: PeerLink;
  /** Tamper with what `a`'s owner sends (so `b`'s owner receives the result). */
  tamperFromA(t: FrameTamper | null): void;
  /** Stops (true) or resumes (false) delivery both ways, as a receiver that does not read would. */
  stall(stalled: boolean): void;
  /** Stops or resumes delivery of what `a`'s owner sends only (its peer reads nothing, but still talks). */
  stallFromA(stalled: boolean): void;
  /** Bytes each side has queued and not yet delivered (its bufferedAmount). */
  queuedBytes(): { a: number; b: number };
} {
  let tamperA: FrameTamper | null = null;
  let stalled = false;
  let stalledFromA = false;
  const high = options.highWatermarkBytes ?? highWatermarkBytes;
  const low = Math.min(options.lowWatermarkBytes ?? lowWatermarkBytes, high);
  const maxMessage = options.maxMessageBytes ?? defaultMaxMessageBytes;
  // a is the link object in aId's engine, whose remote is bId.
  const a: Side = createSide({ peerId: bId, other: () => b, tamper: () => tamperA, stalled: () => stalled || stalledFromA, high, low, maxMessage });
  const b: Side = createSide({ peerId: aId, other: () => a, tamper: () => null, stalled: () => stalled, high, low, maxMessage });
  return {
    a,
    b,
    tamperFromA: (t) => (tamperA = t),
    stall(on) {
      stalled = on;
      if (!on) {
        a.drainSoon();
        b.drainSoon();
      }
    },
    stallFromA(on) {
      stalledFromA = on;
      if (!on) a.drainSoon();
    },
    queuedBytes: () => ({ a: a.queuedBytes, b: b.queuedBytes }),
  };
}
