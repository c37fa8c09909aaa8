// A link's outgoing frames: kept in order, handed to the data channel a task later so the frames
// queued meanwhile go together (packed into batches, see core/protocol/batch.ts), and held back
// while the channel's own buffer is above the high watermark.
import { batchTypeByte, packedBytes, packFrames } from '../core/protocol/batch';
import { maxFrameBytes } from '../core/protocol/limits';

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
  /** Resolves once the channel's buffer drained below its low watermark, or it closed. */
  drained(channel: FrameChannel): Promise<void>;
  /** Runs `task` after the tasks already queued (so the sends of this one are batched). */
  defer(task: () => void): void;
  /** Queued bytes (here and in the channel) above which `send` waits until its frame is handed over. */
  readonly highWatermarkBytes: number;
  /** Bytes queued here past which a send is refused and `onOverflow` called: the peer is not reading. */
  readonly maxQueuedBytes: number;
  onOverflow(queuedBytes: number): void;
}

export interface FrameSender {
  /**
   * Queues a frame. Resolves at once while at most the high watermark is queued before it, else once
   * the frame is handed to the channel; rejects if the link closes first. Frames leave in the order
   * sent; an empty frame is never delivered (as over a data channel).
   */
  send(frame: Uint8Array): Promise<void>;
  /** The link closed: every waiting send rejects and later ones fail. */
  close(): void;
}

interface Queued {
  readonly frame: Uint8Array;
  handedOver?: () => void;
  failed?: (error: Error) => void;
}

const linkClosed = (): Error => new Error('link closed');

export function createFrameSender(deps: FrameSenderDeps): FrameSender {
  let queue: Queued[] = [];
  let head = 0;
  let queuedBytes = 0;
  let closed = false;
  let scheduled = false;
  let flushing = false;

  const failQueued = (error: Error): void => {
    for (const entry of queue.slice(head)) entry.failed?.(error);
    queue = [];
    head = 0;
    queuedBytes = 0;
  };

  /** The next message: the frame at the head, with as many of the following frames as fit beside it. */
  const takeMessage = (): Queued[] => {
    let end = head + 1;
    let bytes = 1 + packedBytes((queue[head] as Queued).frame);
    for (let next = queue[end]; next && bytes + packedBytes(next.frame) <= maxFrameBytes; next = queue[end]) {
      bytes += packedBytes(next.frame);
      end++;
    }
    const taken = queue.slice(head, end);
    head = end;
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    return taken;
  };

  const flush = async (): Promise<void> => {
    if (flushing) return;
    flushing = true;
    try {
      while (head < queue.length) {
        const channel = deps.channel();
        if (closed || !channel || channel.readyState !== 'open') {
          closed = true;
          failQueued(linkClosed());
          return;
        }
        if (channel.bufferedAmount > deps.highWatermarkBytes) {
          await deps.drained(channel);
          continue;
        }
        const taken = takeMessage();
        for (const entry of taken) queuedBytes -= entry.frame.length;
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
      if (queuedBytes + frame.length > deps.maxQueuedBytes) {
        deps.onOverflow(queuedBytes);
        return Promise.reject(new Error('send queue full'));
      }
      const queuedBefore = (deps.channel()?.bufferedAmount ?? 0) + queuedBytes;
      const entry: Queued = { frame };
      queue.push(entry);
      queuedBytes += frame.length;
      schedule();
      if (queuedBefore <= deps.highWatermarkBytes) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        entry.handedOver = resolve;
        entry.failed = reject;
      });
    },
    close() {
      closed = true;
      failQueued(linkClosed());
    },
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
