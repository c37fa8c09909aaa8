// A link's outgoing frames: kept in order, handed to the data channel a task later so the frames
// queued meanwhile go together (packed into batches, see core/protocol/batch.ts), and held back
// while the channel's own buffer is full. Two lanes: control frames (requests, haves, rejects,
// manifests) go before chunk data waiting here, so our own asking never waits behind what we upload;
// and chunk data fills the channel's buffer only as far as the link drains in `channelBufferMs`, so on
// a slow uplink a control frame queues behind a fraction of a second of data, not behind 256 KiB.
import { batchTypeByte, packedBytes, packFrames } from '../core/protocol/batch';
import { isDataFrame } from '../core/protocol/codec';
import { maxFrameBytes } from '../core/protocol/limits';

/** Chunk data in the channel's buffer, in ms of the link's measured drain rate: enough to keep a link busy between two hand-overs. */
export const channelBufferMs = 250;

/**
 * Fewest bytes of chunk data the buffer may hold: two seconds of a 2 KB/s link, so even that is not starved
 * between hand-overs, and a request sent on a slow uplink shared by 25 links (~5 KB/s each) waits about a
 * second behind it, not the 3 s of 16 KiB (simulated flash crowd of 100: docs/simulation.md).
 */
export const minChannelBufferBytes = 4 * 1024;

/**
 * Before the first drain is measured, chunk data fills the buffer this far. A fast link measures within
 * milliseconds; a slow uplink serving many links does not, and 64 KiB here held every request it sent
 * behind 13 s of its own uploads (the simulated crowd's slowest peers asked 25 peers and heard from 3).
 */
export const initialChannelBufferBytes = 4 * 1024;

/** Weight of each new drain-rate sample: a few hand-overs follow a change in the link. */
const drainRateWeight = 0.3;

/** The part of an RTCDataChannel the sender uses. */
export interface FrameChannel {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  send(message: Uint8Array): void;
}

/** How the sender reaches its channel and waits. */
export interface FrameSenderDeps {
  /** The link's channel now (null before it exists). */
  channel(): FrameChannel | null;
  /** Resolves once the channel's buffer drained to `belowBytes` or less, or it closed. */
  drained(channel: FrameChannel, belowBytes: number): Promise<void>;
  /** Runs `task` after the tasks already queued (so the sends of this one are batched). */
  defer(task: () => void): void;
  /** The time in ms (measures how fast the channel drains). */
  now(): number;
  /** Queued bytes (here and in the channel) above which `send` waits until its frame is handed over; the channel's buffer at most. */
  readonly highWatermarkBytes: number;
  /** Bytes queued here past which a send is refused and `onOverflow` called: the peer is not reading. */
  readonly maxQueuedBytes: number;
  onOverflow(queuedBytes: number): void;
}

export interface FrameSender {
  /**
   * Queues a frame. Resolves at once while little is queued before it (see `FrameSenderDeps`; for chunk
   * data, what the link drains in `channelBufferMs`), else once the frame is handed to the channel;
   * rejects if the link closes first. Frames of one lane leave in the order sent (control frames may pass
   * chunk data waiting here); an empty frame is never delivered (as over a data channel).
   */
  send(frame: Uint8Array): Promise<void>;
  /** The link closed: every waiting send rejects and later ones fail. */
  close(): void;
  /** Bytes of chunk data the channel's buffer is filled to now (follows the measured drain rate). */
  dataBufferBytes(): number;
}

interface Queued {
  readonly frame: Uint8Array;
  handedOver?: () => void;
  failed?: (error: Error) => void;
}

const linkClosed = (): Error => new Error('link closed');

/** A first-in first-out queue of frames with its byte count. */
function createLane() {
  let queue: Queued[] = [];
  let head = 0;
  let bytes = 0;
  return {
    get bytes() {
      return bytes;
    },
    get length() {
      return queue.length - head;
    },
    peek: (): Queued | undefined => queue[head],
    push(entry: Queued) {
      queue.push(entry);
      bytes += entry.frame.length;
    },
    shift(): Queued | undefined {
      const entry = queue[head];
      if (!entry) return undefined;
      head++;
      bytes -= entry.frame.length;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      return entry;
    },
    drop(): Queued[] {
      const dropped = queue.slice(head);
      queue = [];
      head = 0;
      bytes = 0;
      return dropped;
    },
  };
}

export function createFrameSender(deps: FrameSenderDeps): FrameSender {
  const control = createLane();
  const data = createLane();
  let closed = false;
  let scheduled = false;
  let flushing = false;
  /** Bytes per second the channel drained at, measured while we waited on it (0: not yet). */
  let drainRate = 0;
  /** Wakes a flush waiting for the channel to drain: a control frame arrived. */
  let wakeFlush: (() => void) | null = null;
  let pendingDrain: Promise<void> | null = null;

  const queuedBytes = (): number => control.bytes + data.bytes;
  const dataBufferBytes = (): number => {
    const wanted = drainRate > 0 ? (drainRate * channelBufferMs) / 1000 : initialChannelBufferBytes;
    return Math.min(deps.highWatermarkBytes, Math.max(minChannelBufferBytes, wanted));
  };

  const failQueued = (error: Error): void => {
    for (const entry of [...control.drop(), ...data.drop()]) entry.failed?.(error);
  };

  /** The next message: control frames first, then chunk data if the buffer has room for it, packed while they fit. */
  const takeMessage = (dataAllowed: boolean): Queued[] => {
    const taken: Queued[] = [];
    let bytes = 1;
    for (const lane of dataAllowed ? [control, data] : [control]) {
      for (let next = lane.peek(); next && (taken.length === 0 || bytes + packedBytes(next.frame) <= maxFrameBytes); next = lane.peek()) {
        bytes += packedBytes(next.frame);
        taken.push(lane.shift() as Queued);
      }
    }
    return taken;
  };

  /** Waits until the buffer drains to `belowBytes` or a control frame arrives, and learns the drain rate from it. */
  const waitForRoom = async (channel: FrameChannel, belowBytes: number): Promise<void> => {
    const startMs = deps.now();
    const startBytes = channel.bufferedAmount;
    // One wait on the channel at a time: a wait a control frame cut short is reused by the next one.
    pendingDrain ??= deps.drained(channel, belowBytes).finally(() => (pendingDrain = null));
    await Promise.race([pendingDrain, new Promise<void>((resolve) => (wakeFlush = resolve))]);
    wakeFlush = null;
    const elapsedMs = deps.now() - startMs;
    const drainedBytes = startBytes - channel.bufferedAmount;
    if (elapsedMs >= 1 && drainedBytes > 0) {
      const sample = (drainedBytes * 1000) / elapsedMs;
      drainRate = drainRate === 0 ? sample : drainRate + drainRateWeight * (sample - drainRate);
    }
  };

  const flush = async (): Promise<void> => {
    if (flushing) return;
    flushing = true;
    try {
      while (control.length + data.length > 0) {
        const channel = deps.channel();
        if (closed || !channel || channel.readyState !== 'open') {
          closed = true;
          failQueued(linkClosed());
          return;
        }
        const dataLimit = dataBufferBytes();
        const dataAllowed = data.length > 0 && channel.bufferedAmount <= dataLimit;
        const controlAllowed = control.length > 0 && channel.bufferedAmount <= deps.highWatermarkBytes;
        if (!dataAllowed && !controlAllowed) {
          await waitForRoom(channel, control.length > 0 ? deps.highWatermarkBytes / 4 : dataLimit / 4);
          continue;
        }
        const taken = takeMessage(dataAllowed);
        const [only] = taken;
        try {
          const alone = taken.length === 1 && only && only.frame[0] !== batchTypeByte;
          channel.send(alone ? only.frame : packFrames(taken.map((entry) => entry.frame)));
        } catch (error) {
          const reason = error instanceof Error ? error : new Error(String(error));
          for (const entry of taken) entry.failed?.(reason);
          continue;
        }
        for (const entry of taken) entry.handedOver?.();
      }
    } finally {
      flushing = false;
    }
  };

  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    deps.defer(() => {
      scheduled = false;
      void flush();
    });
  };

  return {
    send(frame) {
      if (closed) return Promise.reject(linkClosed());
      // A data channel's receiver drops an empty message (simple-peer's stream does), so none is sent.
      if (frame.length === 0) return Promise.resolve();
      if (queuedBytes() + frame.length > deps.maxQueuedBytes) {
        deps.onOverflow(queuedBytes());
        return Promise.reject(new Error('send queue full'));
      }
      const bulk = isDataFrame(frame);
      const buffered = deps.channel()?.bufferedAmount ?? 0;
      const queuedBefore = buffered + (bulk ? queuedBytes() : control.bytes);
      const entry: Queued = { frame };
      (bulk ? data : control).push(entry);
      schedule();
      if (!bulk) wakeFlush?.();
      if (queuedBefore <= (bulk ? dataBufferBytes() : deps.highWatermarkBytes)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        entry.handedOver = resolve;
        entry.failed = reject;
      });
    },
    close() {
      closed = true;
      wakeFlush?.();
      failQueued(linkClosed());
    },
    dataBufferBytes,
  };
}

/** The page's one channel for `deferToNextTask` (made on first use), and the tasks waiting on it. */
let taskChannel: MessageChannel | null = null;
const waitingTasks: (() => void)[] = [];

/**
 * `defer` for pages: runs `task` after the tasks already queued, through a MessageChannel, which
 * (unlike a timer) a hidden tab does not throttle. One channel serves every link of the page.
 */
export function deferToNextTask(task: () => void): void {
  if (!taskChannel) {
    taskChannel = new MessageChannel();
    taskChannel.port1.onmessage = () => waitingTasks.shift()?.();
  }
  waitingTasks.push(task);
  taskChannel.port2.postMessage(null);
}
