// Chromium's raw RTCDataChannel throughput between two browser contexts: the ceiling Swarmdrop is held
// against. Timing: the sender stamps its first send() and the receiver its last byte, both on the shared
// wall clock `performance.timeOrigin + performance.now()` (same machine, same browser, sub-ms precision).
import type { Browser, Page } from '@playwright/test';
import { appUrl, openPeer } from '../e2e/peers';
import { cpuSince, snapshotCpu, sumCpu, type CpuUse } from './cpu';

/** Bytes per run: 256 MiB, the size of the Swarmdrop transfer, so the two figures compare. */
export const rawTransferBytes = 256 * 1024 * 1024;
/** Bytes per message: 64 KiB, Swarmdrop's largest frame, and the size MEASURED.md found fastest. */
export const rawMessageBytes = 64 * 1024;
/** Bytes queued below which sending resumes: 64 KiB, the fastest low watermark measured here. */
const lowWatermarkBytes = 64 * 1024;
/** Bytes queued above which sending pauses: 256 KiB, the fastest high watermark measured here. */
const highWatermarkBytes = 256 * 1024;
/** Runs per measurement: 3, as single runs vary by ±10% (CPU-bound and bimodal on 2 cores). */
export const rawRuns = 3;
/** Milliseconds to wait for ICE gathering: host candidates on loopback take a few ms; this is a safety net. */
const gatherTimeoutMs = 10_000;

/** Throughput figures in MB/s (MB = 10^6 bytes). */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** Result of the raw measurement. */
export interface RawResult extends Spread {
  readonly runsMBps: readonly number[];
  /** Browser CPU over all runs (sending to last byte received). */
  readonly cpu: CpuUse;
}

/** What the page keeps between evaluate calls. */
interface RawState {
  pc?: RTCPeerConnection;
  channel?: RTCDataChannel;
  /** Resolves with the wall-clock ms of the last byte once all bytes arrived in order. */
  received?: Promise<number>;
}
/** Connections by key: a page may hold several (raw-mesh.ts). */
type RawWindow = Window & { swarmdropBenchRaw?: Record<string, RawState> };
/** The key of raw-channel's own single connection. */
const pairKey = 'pair';

/** In the page: makes connection `key`, as offerer (no remote) or answerer, and returns its full SDP. */
async function setUp(arg: { key: string; remote: RTCSessionDescriptionInit | null; totalBytes: number; gatherMs: number }): Promise<RTCSessionDescriptionInit> {
  const state: RawState = {};
  const all = ((window as RawWindow).swarmdropBenchRaw ??= {});
  all[arg.key] = state;
  const pc = new RTCPeerConnection({ iceServers: [] });
  state.pc = pc;
  if (arg.remote) {
    state.received = new Promise<number>((resolve, reject) => {
      pc.addEventListener('datachannel', ({ channel }) => {
        channel.binaryType = 'arraybuffer';
        let bytes = 0;
        let expected = 0;
        channel.addEventListener('close', () => reject(new Error(`channel closed after ${bytes} bytes`)));
        channel.addEventListener('message', ({ data }: MessageEvent<unknown>) => {
          if (!(data instanceof ArrayBuffer)) return reject(new Error('a message was not an ArrayBuffer'));
          const seq = new DataView(data).getUint32(0);
          if (seq !== expected) return reject(new Error(`message ${expected} arrived as ${seq}`));
          expected += 1;
          bytes += data.byteLength;
          if (bytes >= arg.totalBytes) resolve(performance.timeOrigin + performance.now());
        });
      });
    });
    await pc.setRemoteDescription(arg.remote);
    await pc.setLocalDescription(await pc.createAnswer());
  } else {
    state.channel = pc.createDataChannel('bench', { ordered: true });
    state.channel.binaryType = 'arraybuffer';
    await pc.setLocalDescription(await pc.createOffer());
  }
  // Non-trickle: wait for every candidate, so one SDP each way carries them all.
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, arg.gatherMs);
    const check = (): void => {
      if (pc.iceGatheringState !== 'complete') return;
      clearTimeout(timer);
      resolve();
    };
    pc.addEventListener('icegatheringstatechange', check);
    check();
  });
  const local = pc.localDescription;
  if (!local) throw new Error('no local description');
  return { type: local.type, sdp: local.sdp };
}

/** In the page: applies the answer to connection `key` and waits for its channel to open. */
async function connect(arg: { key: string; answer: RTCSessionDescriptionInit }): Promise<void> {
  const { answer } = arg;
  const { pc, channel } = (window as RawWindow).swarmdropBenchRaw?.[arg.key] ?? {};
  if (!pc || !channel) throw new Error('offerer not set up');
  await pc.setRemoteDescription(answer);
  if (channel.readyState !== 'open') await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }));
}

/** In the page: sends all bytes over connection `key` with backpressure; returns the wall-clock ms of the first send. */
async function sendAll(arg: { key: string; totalBytes: number; messageBytes: number; low: number; high: number }): Promise<number> {
  const channel = (window as RawWindow).swarmdropBenchRaw?.[arg.key]?.channel;
  if (!channel) throw new Error('offerer not set up');
  channel.bufferedAmountLowThreshold = arg.low;
  const message = crypto.getRandomValues(new Uint8Array(arg.messageBytes));
  const view = new DataView(message.buffer);
  // One listener each for the whole run (not one per wait), waking whichever wait is pending.
  let closed = false;
  let wake = (): void => undefined;
  channel.addEventListener('bufferedamountlow', () => wake());
  channel.addEventListener('close', () => {
    closed = true;
    wake();
  });
  const drained = (): Promise<void> => new Promise((resolve) => (wake = resolve));
  const startMs = performance.timeOrigin + performance.now();
  for (let sent = 0, seq = 0; sent < arg.totalBytes; seq += 1) {
    if (channel.bufferedAmount > arg.high) await drained();
    if (closed) throw new Error(`channel closed after ${sent} bytes`);
    const length = Math.min(arg.messageBytes, arg.totalBytes - sent);
    view.setUint32(0, seq);
    channel.send(length === message.length ? message : message.subarray(0, length));
    sent += length;
  }
  return startMs;
}

/** One run of `rawTransferBytes` between two pages over a fresh connection (its own, and the memory bench's against its two browsers). */
export async function runRawOnce(sender: Page, receiver: Page): Promise<{ MBps: number; cpu: CpuUse }> {
  const totalBytes = rawTransferBytes;
  await openRawConnection(sender, receiver, pairKey, totalBytes);
  const cpuStart = snapshotCpu();
  const received = receivedAt(receiver, pairKey);
  const [startMs, endMs] = await Promise.all([sendRaw(sender, pairKey, totalBytes), received]);
  if (endMs === undefined) throw new Error('receiver not set up');
  const cpu = cpuSince(cpuStart);
  for (const page of [sender, receiver]) await closeRawConnections(page);
  return { MBps: totalBytes / 1e3 / (endMs - startMs), cpu };
}

/** Connects `sender` to `receiver` as connection `key`, which will carry `totalBytes`. */
export async function openRawConnection(sender: Page, receiver: Page, key: string, totalBytes: number): Promise<void> {
  const offer = await sender.evaluate(setUp, { key, remote: null, totalBytes, gatherMs: gatherTimeoutMs });
  const answer = await receiver.evaluate(setUp, { key, remote: offer, totalBytes, gatherMs: gatherTimeoutMs });
  await sender.evaluate(connect, { key, answer });
}

/** Sends `totalBytes` over connection `key` as raw-channel's own runs do. */
export const sendRaw = (sender: Page, key: string, totalBytes: number): Promise<number> =>
  sender.evaluate(sendAll, { key, totalBytes, messageBytes: rawMessageBytes, low: lowWatermarkBytes, high: highWatermarkBytes });

/** The wall-clock ms of connection `key`'s last byte, once all arrived in order. */
export const receivedAt = (receiver: Page, key: string): Promise<number | undefined> =>
  receiver.evaluate((k) => (window as RawWindow).swarmdropBenchRaw?.[k]?.received, key);

/** Closes every raw connection of a page. */
export const closeRawConnections = (page: Page): Promise<void> =>
  page.evaluate(() => {
    for (const state of Object.values((window as RawWindow).swarmdropBenchRaw ?? {})) state.pc?.close();
    (window as RawWindow).swarmdropBenchRaw = {};
  });

/** Median, min and max of some figures. */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid] : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { median: median ?? NaN, min: sorted[0] ?? NaN, max: sorted[sorted.length - 1] ?? NaN };
}

/** Measures raw data-channel throughput `rawRuns` times between two fresh contexts at the app's origin. */
export async function measureRawChannel(browser: Browser): Promise<RawResult> {
  const sender = await openPeer(browser, appUrl());
  const receiver = await openPeer(browser, appUrl());
  try {
    const runs: { MBps: number; cpu: CpuUse }[] = [];
    for (let run = 0; run < rawRuns; run++) runs.push(await runRawOnce(sender.page, receiver.page));
    const runsMBps = runs.map((r) => r.MBps);
    return { ...spread(runsMBps), runsMBps, cpu: sumCpu(runs.map((r) => r.cpu)) };
  } finally {
    await sender.context.close();
    await receiver.context.close();
  }
}
