// PeerLink pairs over the modelled network, with a data channel's semantics: ordered and reliable,
// send() resolves once the frame is queued below the high watermark (the engine's backpressure), a
// frame past max-message-size is refused, and close() is heard on both sides (the far side one
// latency later). Frames go through the page's own frame sender (two lanes, batches, a data buffer
// sized to the drain rate), so a slow uplink delays our control frames as little as in a page.
// No host timers: everything waits on the network's events, on the simulation clock.
import type { Clock } from '../../src/core/clock';
import type { PeerLink, PeerLinkHandlers } from '../../src/core/ports';
import { framesOfMessage } from '../../src/core/protocol/batch';
import { defaultMaxMessageBytes } from '../../src/test-support/memory-link';
import { maxQueuedBytesPerLink } from '../../src/transport/constants';
import { createFrameSender, type FrameChannel } from '../../src/transport/frame-sender';
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
  /** Bytes the frame sender may hold for a peer that reads nothing (the transport's own limit by default). */
  readonly maxQueuedBytes?: number;
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
    /** Bytes given to send() and not yet handed to the channel (the frame sender's lanes). */
    let waitingBytes = 0;
    /** The frame sender's waits for the channel to drain, each with its threshold. */
    let drainWaits: { readonly belowBytes: number; readonly resolve: () => void }[] = [];
    let reportedBytes = 0;
    /** Tells the tap how much this end buffers now. */
    const reportBuffered = (): void => {
      const bytes = flow.queuedBytes + waitingBytes;
      me.tap?.buffered(bytes - reportedBytes);
      reportedBytes = bytes;
    };
    const flow = network.openFlow(me.host, remote.host, options.latencyMs, {
      delivered: (message) => other().deliver(message),
      drained: () => {
        reportBuffered();
        const due = drainWaits.filter((wait) => flow.queuedBytes <= wait.belowBytes);
        drainWaits = drainWaits.filter((wait) => flow.queuedBytes > wait.belowBytes);
        for (const wait of due) wait.resolve();
      },
    });
    // The data channel under the real frame sender (src/transport/frame-sender.ts): its two lanes,
    // its batching and its buffer sized to the drain rate run here as they do in a page.
    const channel: FrameChannel = {
      get readyState() {
        return closed ? 'closed' : 'open';
      },
      get bufferedAmount() {
        return flow.queuedBytes;
      },
      send(message) {
        if (closed) throw new Error('link closed');
        if (message.length > maxMessage) throw new RangeError(`message of ${message.length} bytes is larger than max-message-size`);
        for (const frame of framesOfMessage(message)) {
          waitingBytes -= frame.length;
          me.tap?.sent(frame);
        }
        flow.enqueue(message);
        reportBuffered();
      },
    };
    const sender = createFrameSender({
      channel: () => channel,
      drained: (_channel, belowBytes) =>
        closed || flow.queuedBytes <= belowBytes ? Promise.resolve() : new Promise<void>((resolve) => drainWaits.push({ belowBytes, resolve })),
      defer: (task) => void clock.setTimeout(task, 0),
      now: () => clock.now(),
      highWatermarkBytes: options.highWatermarkBytes,
      maxQueuedBytes: options.maxQueuedBytes ?? maxQueuedBytesPerLink,
      onOverflow: (queuedBytes) => side.hangUp(new Error(`the peer reads nothing (${queuedBytes} bytes queued for it)`)),
    });
    const side: Side = {
      peerId: remote.peerId,
      get bufferedBytes() {
        return flow.queuedBytes + waitingBytes;
      },
      send(frame) {
        if (closed) return Promise.reject(new Error('link closed'));
        if (frame.length > maxMessage) return Promise.reject(new RangeError(`frame of ${frame.length} bytes is larger than max-message-size`));
        if (frame.length === 0) return Promise.resolve(); // as the WebRTC link: an empty message never arrives
        // The caller may reuse its buffer once send() returns: queue a copy.
        const copy = frame.slice();
        waitingBytes += copy.length;
        reportBuffered();
        return sender.send(copy);
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
      deliver(message) {
        if (closed) return;
        // A batch is unpacked here, as the WebRTC link does: the engine gets single frames.
        for (const frame of framesOfMessage(message)) {
          me.tap?.received(frame);
          if (handlers) handlers.frame(frame);
          else early.push(frame);
        }
      },
      hangUp(error) {
        if (closed) return;
        closed = true;
        flow.close();
        sender.close();
        waitingBytes = 0;
        for (const wait of drainWaits.splice(0)) wait.resolve();
        reportBuffered();
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
