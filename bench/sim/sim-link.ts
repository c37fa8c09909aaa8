// PeerLink pairs over the modelled network, with a data channel's semantics: ordered and reliable,
// send() resolves once the frame is queued below the high watermark (the engine's backpressure), a
// frame past max-message-size is refused, and close() is heard on both sides (the far side one
// latency later). No host timers: everything waits on the network's events, on the simulation clock.
import type { Clock } from '../../src/core/clock';
import type { PeerLink, PeerLinkHandlers } from '../../src/core/ports';
import { defaultMaxMessageBytes } from '../../src/test-support/memory-link';
import type { Host, Network } from './network';

/** What the simulation watches on a link (frames as they are queued and as they arrive). */
export interface LinkTap {
  sent(frame: Uint8Array): void;
  received(frame: Uint8Array): void;
  /** Bytes this end buffers (queued, or waiting for send() to take them) changed by `deltaBytes`. */
  buffered(deltaBytes: number): void;
  /** The side hung up (its own close, or the far side's heard). */
  closed(): void;
}

/** One end of a link pair: who holds it, on which host, and what watches it. */
export interface LinkEnd {
  readonly peerId: string;
  readonly host: Host;
  readonly tap?: LinkTap;
  /** Called once when this end hangs up (the connector's close handler). */
  readonly onHangUp?: (error?: Error) => void;
}

/** How a pair buffers: the data channel's watermarks (transport/constants.ts), scaled with the payload. */
export interface SimLinkOptions {
  readonly latencyMs: number;
  readonly highWatermarkBytes: number;
  readonly lowWatermarkBytes: number;
  readonly maxMessageBytes?: number;
}

/** One end as the pair drives it. */
interface Side extends PeerLink {
  deliver(frame: Uint8Array): void;
  hangUp(error?: Error): void;
  /** Bytes queued on this end and not yet sent, plus frames waiting for send() to take them. */
  readonly bufferedBytes: number;
}

/** A connected pair: `a` is held by end `a` and talks to end `b`. */
export interface SimLinkPair {
  readonly a: PeerLink & { readonly bufferedBytes: number };
  readonly b: PeerLink & { readonly bufferedBytes: number };
}

/** Opens a link between two hosts over `network`. */
export function createSimLinkPair(network: Network, clock: Clock, ends: { a: LinkEnd; b: LinkEnd }, options: SimLinkOptions): SimLinkPair {
  const maxMessage = options.maxMessageBytes ?? defaultMaxMessageBytes;
  const makeSide = (me: LinkEnd, remote: LinkEnd, other: () => Side): Side => {
    let handlers: PeerLinkHandlers | null = null;
    const early: Uint8Array[] = [];
    let closed = false;
    let waitingBytes = 0;
    let queueTail: Promise<void> = Promise.resolve();
    const wakeUps: (() => void)[] = [];
    const wake = (): void => {
      for (const wakeUp of wakeUps.splice(0)) wakeUp();
    };
    let reportedBytes = 0;
    /** Tells the tap how much this end buffers now. */
    const reportBuffered = (): void => {
      const bytes = flow.queuedBytes + waitingBytes;
      me.tap?.buffered(bytes - reportedBytes);
      reportedBytes = bytes;
    };
    const flow = network.openFlow(me.host, remote.host, options.latencyMs, {
      delivered: (frame) => other().deliver(frame),
      drained: () => {
        reportBuffered();
        if (flow.queuedBytes <= options.lowWatermarkBytes) wake();
      },
    });
    const sendNow = async (frame: Uint8Array): Promise<void> => {
      try {
        while (!closed && flow.queuedBytes > options.highWatermarkBytes) await new Promise<void>((resolve) => wakeUps.push(resolve));
      } finally {
        waitingBytes -= frame.length;
      }
      if (closed) throw new Error('link closed');
      if (frame.length > maxMessage) throw new RangeError(`frame of ${frame.length} bytes is larger than max-message-size`);
      if (frame.length === 0) return; // as the WebRTC link: an empty message never arrives
      me.tap?.sent(frame);
      flow.enqueue(frame);
      reportBuffered();
    };
    const side: Side = {
      peerId: remote.peerId,
      get bufferedBytes() {
        return flow.queuedBytes + waitingBytes;
      },
      send(frame) {
        // The caller may reuse its buffer once send() returns: queue a copy.
        const copy = frame.slice();
        waitingBytes += copy.length;
        reportBuffered();
        const sent = queueTail.then(() => sendNow(copy));
        sent.then(reportBuffered, reportBuffered);
        queueTail = sent.catch(() => undefined); // the caller handles `sent` failing; the chain goes on
        return sent;
      },
      close() {
        if (closed) return;
        side.hangUp();
        // The far side hears it one latency later (frames already sent arrive before).
        clock.setTimeout(() => other().hangUp(), options.latencyMs);
      },
      listen(h) {
        handlers = h;
        for (const frame of early.splice(0)) h.frame(frame);
      },
      deliver(frame) {
        if (closed) return;
        me.tap?.received(frame);
        if (handlers) handlers.frame(frame);
        else early.push(frame);
      },
      hangUp(error) {
        if (closed) return;
        closed = true;
        flow.close();
        reportBuffered();
        wake();
        me.tap?.closed();
        handlers?.close(error);
        me.onHangUp?.(error);
      },
    };
    return side;
  };
  const a: Side = makeSide(ends.a, ends.b, () => b);
  const b: Side = makeSide(ends.b, ends.a, () => a);
  return { a, b };
}
