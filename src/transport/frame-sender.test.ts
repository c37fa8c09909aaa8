import { describe, expect, it } from 'vitest';
import { unpackFrames } from '../core/protocol/batch';
import { maxFrameBytes } from '../core/protocol/limits';
import { createFrameSender, initialChannelBufferBytes, minChannelBufferBytes, type FrameChannel } from './frame-sender';

/** A data channel that records messages; its buffer drains only when the test says. */
function fakeChannel() {
  const sent: Uint8Array[] = [];
  const drainWaiters: (() => void)[] = [];
  const channel = {
    readyState: 'open' as RTCDataChannelState,
    bufferedAmount: 0,
    failNext: false,
    send(message: Uint8Array) {
      if (channel.failNext) {
        channel.failNext = false;
        throw new Error('send failed');
      }
      sent.push(message);
      channel.bufferedAmount += message.length;
    },
    /** The channel's buffer empties to `toBytes` (all of it by default), and waiters wake. */
    drain(toBytes = 0) {
      channel.bufferedAmount = toBytes;
      drainWaiters.splice(0).forEach((wake) => wake());
    },
  };
  return { channel, sent, drained: (_: FrameChannel, _below: number) => new Promise<void>((resolve) => drainWaiters.push(resolve)) };
}

function setup(highWatermarkBytes = 1000, maxQueuedBytes = 1_000_000) {
  const fake = fakeChannel();
  const tasks: (() => void)[] = [];
  const overflows: number[] = [];
  const clock = { nowMs: 0 };
  const sender = createFrameSender({
    channel: () => fake.channel,
    drained: fake.drained,
    defer: (task) => tasks.push(task),
    now: () => clock.nowMs,
    highWatermarkBytes,
    maxQueuedBytes,
    onOverflow: (queued) => overflows.push(queued),
  });
  /** Runs the queued tasks, then lets the flush's awaits settle. */
  const runTasks = async () => {
    tasks.splice(0).forEach((task) => task());
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { ...fake, sender, runTasks, overflows, clock };
}

const frame = (type: number, length: number) => new Uint8Array(length).fill(type);
/** How a send settled: 'sent', or its error's message (caught at once, so no rejection goes unhandled). */
const outcome = (sent: Promise<void>) => sent.then(() => 'sent', (error: Error) => error.message);
/** What the receiving link hands the engine: single frames, in order. */
const received = (messages: Uint8Array[]) => messages.flatMap((m) => (m[0] === 10 ? (unpackFrames(m) ?? []) : [m])).map((f) => [...f]);

describe('frame sender', () => {
  it('sends the frames queued in one task as one batch, in order, and a lone frame as itself', async () => {
    const t = setup();
    const frames = [frame(6, 41), frame(2, 33), frame(8, 100)];
    await Promise.all(frames.map((f) => t.sender.send(f)));
    expect(t.sent).toEqual([]); // nothing before the task
    await t.runTasks();
    expect(t.sent).toHaveLength(1);
    expect(received(t.sent)).toEqual(frames.map((f) => [...f]));
    await t.sender.send(frame(7, 5));
    await t.runTasks();
    expect(t.sent[1]).toEqual(frame(7, 5));
  });

  it('splits a long queue into messages within the frame limit', async () => {
    const t = setup(10 * maxFrameBytes);
    const frames = Array.from({ length: 5 }, (_, i) => frame(8, 30_000 + i));
    for (const f of frames) void t.sender.send(f);
    await t.runTasks();
    // Chunk data fills the buffer only so far before the link's rate is measured: a drain per hand-over.
    for (let i = 0; i < 5; i++) {
      t.channel.drain();
      await t.runTasks();
    }
    expect(t.sent.length).toBe(3);
    for (const message of t.sent) expect(message.length).toBeLessThanOrEqual(maxFrameBytes);
    expect(received(t.sent)).toEqual(frames.map((f) => [...f]));
  });

  it('holds frames while the channel is above the watermark, and a send past it waits for its hand-over', async () => {
    const t = setup(1000);
    t.channel.bufferedAmount = 1500;
    let handedOver = false;
    void t.sender.send(frame(8, 400));
    const waiting = t.sender.send(frame(8, 700)).then(() => (handedOver = true));
    await t.runTasks();
    expect(t.sent).toEqual([]);
    expect(handedOver).toBe(false);
    t.channel.drain();
    await waiting;
    expect(received(t.sent)).toEqual([[...frame(8, 400)], [...frame(8, 700)]]);
  });

  it('rejects waiting and later sends once the link closes, and when the channel is gone', async () => {
    const t = setup(100);
    t.channel.bufferedAmount = 5000;
    const waiting = t.sender.send(frame(8, 200)); // 5,000 bytes already wait in the channel
    await t.runTasks();
    t.sender.close();
    await expect(waiting).rejects.toThrow('link closed');
    await expect(t.sender.send(frame(6, 41))).rejects.toThrow('link closed');

    const u = setup(100);
    u.channel.readyState = 'closed';
    void u.sender.send(frame(8, 150)); // queued: within the watermark, it resolved at once
    const lost = outcome(u.sender.send(frame(8, 200)));
    await u.runTasks();
    expect(await lost).toBe('link closed');
  });

  it('fails only the frames of a message the channel refused, and goes on with the rest', async () => {
    const t = setup(100);
    t.channel.failNext = true;
    void t.sender.send(frame(8, 150));
    const refused = outcome(t.sender.send(frame(8, 10)));
    await t.runTasks();
    expect(await refused).toBe('send failed');
    await t.sender.send(frame(6, 41));
    await t.runTasks();
    expect(received(t.sent)).toEqual([[...frame(6, 41)]]);
  });
});

describe('frame sender edge frames', () => {
  it('refuses a send past the queue cap and says so: the peer reads nothing while it keeps asking', async () => {
    const t = setup(100, 1000);
    t.channel.bufferedAmount = 10_000; // the channel does not drain
    const sent = [600, 300].map((size) => outcome(t.sender.send(frame(8, size))));
    const refused = outcome(t.sender.send(frame(8, 200)));
    expect(await refused).toBe('send queue full');
    expect(t.overflows).toEqual([900]);
    t.channel.drain();
    await t.runTasks();
    expect(await Promise.all(sent)).toEqual(['sent', 'sent']);
  });

  it('never sends an empty frame, and wraps a lone frame that begins with the batch byte', async () => {
    const t = setup();
    await t.sender.send(new Uint8Array(0));
    await t.runTasks();
    expect(t.sent).toEqual([]);
    const lookalike = frame(10, 20);
    await t.sender.send(lookalike);
    await t.runTasks();
    expect(t.sent[0]?.length).toBe(25);
    expect(received(t.sent)).toEqual([[...lookalike]]);
  });
});

describe('frame sender lanes: our asking never waits behind what we upload', () => {
  const KiB = 1024;

  it('sends control frames before chunk data waiting here, each lane in its own order', async () => {
    const t = setup(10 * maxFrameBytes);
    t.channel.bufferedAmount = 20 * maxFrameBytes; // full: everything waits here
    const data = [frame(8, 30_000), frame(8, 30_001)];
    const control = [frame(6, 41), frame(5, 37)];
    for (const f of [data[0], control[0], data[1], control[1]]) if (f) void t.sender.send(f);
    await t.runTasks();
    expect(t.sent).toEqual([]);
    t.channel.drain();
    await t.runTasks();
    expect(received(t.sent)).toEqual([...control, ...data].map((f) => [...f]));
  });

  it('hands a control frame over at once while chunk data waits for the buffer to drain', async () => {
    const t = setup(256 * KiB);
    t.channel.bufferedAmount = initialChannelBufferBytes + 1; // over the data limit, under the watermark
    void t.sender.send(frame(8, 1000));
    await t.runTasks();
    expect(t.sent).toEqual([]);
    await t.sender.send(frame(6, 41));
    await t.runTasks();
    expect(received(t.sent)).toEqual([[...frame(6, 41)]]);
  });

  it('fills the buffer with chunk data only as far as the link drains in a quarter second', async () => {
    const t = setup(256 * KiB);
    expect(t.sender.dataBufferBytes()).toBe(initialChannelBufferBytes);
    for (let i = 0; i < 4; i++) void t.sender.send(frame(8, 40 * KiB)); // one to a message
    await t.runTasks();
    expect(t.channel.bufferedAmount).toBe(40 * KiB); // one handed over while at most 4 KiB was buffered
    // A slow link: 30 KiB drained in 4 s (7.5 KiB/s), so a quarter second is ~2 KiB: the floor, 4 KiB.
    t.clock.nowMs += 4000;
    t.channel.drain(10 * KiB);
    await t.runTasks();
    expect(t.sender.dataBufferBytes()).toBe(minChannelBufferBytes);
    expect(t.channel.bufferedAmount).toBe(10 * KiB); // over the floor: nothing more went
    // A fast one: 10 KiB in 40 ms, so the buffer may hold far more (up to the watermark).
    t.clock.nowMs += 40;
    t.channel.drain(0);
    await t.runTasks();
    expect(t.channel.bufferedAmount).toBe(40 * KiB);
    expect(t.sender.dataBufferBytes()).toBeGreaterThan(minChannelBufferBytes);
    expect(t.sender.dataBufferBytes()).toBeLessThanOrEqual(256 * KiB);
  });
});
