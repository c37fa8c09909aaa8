// One compliance suite for every PeerLink (the in-memory fake and the WebRTC link): both must behave
// the same, or engine tests over the fake would prove nothing about the app. The cases talk to a
// small async driver with serialisable steps, so the same cases run in Vitest (a local driver) and
// in a real browser (Playwright evaluates each step in the page, where a local driver holds the links).
// Nothing here imports a test framework: the runner's describe/it are passed in.
import type { PeerLink } from '../core/ports';

/** One end of a pair: `a` and `b` hold the two links of one connection. */
export type End = 'a' | 'b';

/** What arrived, by length and digest (the bytes themselves stay where they arrived). */
export interface FrameReport {
  readonly length: number;
  readonly digest: string;
}

/** How a send ended: 'ok', or 'rejected: <message>'. */
export type SendOutcome = string;

/** What a case knows about the link under test. */
export interface LinkInfo {
  /** send() waits while more than this many bytes are queued (the link's high watermark). */
  readonly highWatermarkBytes: number;
  /** The biggest frame send() accepts; bigger ones are refused (the data channel's max-message-size). */
  readonly maxMessageBytes: number;
}

/** The steps the cases take; every argument and result survives structured cloning. */
export interface PeerLinkDriver {
  info(): Promise<LinkInfo>;
  /** Installs recording handlers on one end. */
  listen(end: End): Promise<void>;
  /** Sends frames of these sizes in order (contents from `seed`), awaiting each send's outcome. */
  send(end: End, sizes: readonly number[], seed: number): Promise<SendOutcome[]>;
  /** With the receiver not draining, starts these sends; counts how many resolved. Optionally closes the sender then. */
  burst(end: End, sizes: readonly number[], seed: number, closeAfter: boolean): Promise<{ resolved: number; pending: number }>;
  /** Lets the receiver drain again and awaits the burst's sends. */
  resume(): Promise<SendOutcome[]>;
  /** Waits (up to a few seconds) until `end` received at least `count` frames; returns all it received. */
  waitReceived(end: End, count: number): Promise<FrameReport[]>;
  close(end: End): Promise<void>;
  /** Waits (up to a few seconds) until `end`'s close handler fired `count` times; returns how often it fired. */
  waitCloses(end: End, count: number): Promise<number>;
  pause(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

/** A connected pair, as each link implementation opens one for the local driver. */
export interface LinkPairUnderTest {
  readonly a: PeerLink;
  readonly b: PeerLink;
  readonly highWatermarkBytes: number;
  readonly maxMessageBytes: number;
  /** Stops the receivers draining; `settle` then lets everything that can happen while stalled happen. */
  stall(): void;
  settle(): Promise<void>;
  resume(): void;
  dispose(): void;
}

/** Deterministic frame contents: a xorshift stream from `seed`, so shifted or swapped bytes show. */
export function frameBytes(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = (seed * 2654435761 + 1) >>> 0 || 1;
  for (let i = 0; i < size; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    bytes[i] = x & 0xff;
  }
  return bytes;
}

/** FNV-1a over the bytes, with the length: enough to tell a reordered, cut or corrupted frame. */
export function reportOf(bytes: Uint8Array): FrameReport {
  let hash = 0x811c9dc5;
  for (const byte of bytes) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return { length: bytes.length, digest: hash.toString(16).padStart(8, '0') };
}

/** How long a wait step polls before giving up. */
const waitLimitMs = 10_000;

const outcomeOf = (sent: Promise<void>): Promise<SendOutcome> =>
  sent.then(
    () => 'ok',
    (error: unknown) => `rejected: ${error instanceof Error ? error.message : String(error)}`,
  );

async function until(what: () => string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + waitLimitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A driver over a pair in this realm: what Vitest uses directly and the browser page holds. */
export async function createLocalDriver(open: () => Promise<LinkPairUnderTest> | LinkPairUnderTest): Promise<PeerLinkDriver> {
  const pair = await open();
  const received: Record<End, FrameReport[]> = { a: [], b: [] };
  const closes: Record<End, number> = { a: 0, b: 0 };
  let burst: Promise<SendOutcome>[] = [];
  return {
    info: async () => ({ highWatermarkBytes: pair.highWatermarkBytes, maxMessageBytes: pair.maxMessageBytes }),
    async listen(end) {
      pair[end].listen({
        frame: (frame) => received[end].push(reportOf(frame)),
        close: () => (closes[end] += 1),
      });
    },
    send(end, sizes, seed) {
      const link = pair[end];
      return Promise.all(sizes.map((size, i) => outcomeOf(link.send(frameBytes(size, seed + i)))));
    },
    async burst(end, sizes, seed, closeAfter) {
      pair.stall();
      let resolved = 0;
      burst = sizes.map((size, i) =>
        outcomeOf(
          pair[end].send(frameBytes(size, seed + i)).then(() => {
            resolved += 1;
          }),
        ),
      );
      await pair.settle();
      const counted = { resolved, pending: sizes.length - resolved };
      if (closeAfter) pair[end].close();
      return counted;
    },
    async resume() {
      pair.resume();
      const outcomes = await Promise.all(burst);
      burst = [];
      return outcomes;
    },
    async waitReceived(end, count) {
      await until(() => `${count} frames at ${end} (got lengths ${received[end].map((r) => r.length).join(', ')})`, () => received[end].length >= count);
      return received[end];
    },
    async close(end) {
      pair[end].close();
    },
    async waitCloses(end, count) {
      await until(() => `${end} to close`, () => closes[end] >= count);
      return closes[end];
    },
    pause: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    async dispose() {
      pair.dispose();
    },
  };
}

/** A test framework's registration functions (Vitest's, Playwright's `test.describe` and `test`). */
export interface TestRunner {
  describe(name: string, body: () => void): void;
  it(name: string, body: () => Promise<void>): void;
}

/** One case: a name and steps over a fresh, connected pair. */
export interface ComplianceCase {
  readonly name: string;
  run(driver: PeerLinkDriver): Promise<void>;
}

function checkEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const reportsOf = (sizes: readonly number[], seed: number): FrameReport[] => sizes.map((size, i) => reportOf(frameBytes(size, seed + i)));

const kib = 1024;

/** The cases every PeerLink passes. */
export const peerLinkComplianceCases: readonly ComplianceCase[] = [
  {
    name: 'delivers frames in order and byte for byte, both ways (1 B, 64 KiB)',
    async run(d) {
      const sizes = [1, 64 * kib, 2, 64 * kib - 1, 1, 64 * kib];
      await d.listen('a');
      await d.listen('b');
      checkEqual(await d.send('a', sizes, 100), sizes.map(() => 'ok'), 'sends a→b');
      checkEqual(await d.send('b', sizes, 200), sizes.map(() => 'ok'), 'sends b→a');
      checkEqual(await d.waitReceived('b', sizes.length), reportsOf(sizes, 100), 'frames at b');
      checkEqual(await d.waitReceived('a', sizes.length), reportsOf(sizes, 200), 'frames at a');
    },
  },
  {
    // simple-peer pushes each message into a Node-style stream, which drops an empty chunk; the
    // codec never sends one (parseFrame refuses 0 bytes), and the fake drops them the same way.
    name: 'accepts an empty frame but never delivers it; the frames around it arrive in order',
    async run(d) {
      await d.listen('b');
      checkEqual(await d.send('a', [1, 0, 2, 0, 64 * kib], 800), ['ok', 'ok', 'ok', 'ok', 'ok'], 'sends');
      checkEqual(await d.waitReceived('b', 3), [1, 2, 64 * kib].map((size, i) => reportOf(frameBytes(size, 800 + 2 * i))), 'frames at b');
      await d.pause(200);
      checkEqual((await d.waitReceived('b', 3)).length, 3, 'frames at b after a while');
    },
  },
  {
    name: 'delivers frames received before listen() once listen() is called, in order',
    async run(d) {
      const sizes = [1, 64 * kib, 2, 300];
      checkEqual(await d.send('a', sizes, 300), sizes.map(() => 'ok'), 'sends');
      await d.pause(300); // let them arrive before anyone listens
      await d.listen('b');
      checkEqual(await d.waitReceived('b', sizes.length), reportsOf(sizes, 300), 'frames at b');
    },
  },
  {
    name: 'send() waits while the receiver does not drain, and every waiting send resolves once it does',
    async run(d) {
      const { highWatermarkBytes } = await d.info();
      const size = 64 * kib;
      const count = Math.ceil((4 * highWatermarkBytes) / size);
      await d.listen('b');
      const { resolved, pending } = await d.burst('a', Array<number>(count).fill(size), 400, false);
      // A send is queued while at most the high watermark is already queued: the first k with k·size above it.
      const queuable = Math.floor(highWatermarkBytes / size) + 1;
      checkEqual({ resolved, pending }, { resolved: queuable, pending: count - queuable }, 'sends resolved / pending while stalled');
      checkEqual(await d.resume(), Array<string>(count).fill('ok'), 'burst outcomes after resuming');
      checkEqual(await d.waitReceived('b', count), reportsOf(Array<number>(count).fill(size), 400), 'frames at b');
    },
  },
  {
    name: 'close() rejects the sends still waiting for room',
    async run(d) {
      const { highWatermarkBytes } = await d.info();
      const size = 64 * kib;
      const count = Math.ceil((2 * highWatermarkBytes) / size);
      await d.listen('a');
      await d.listen('b');
      const { resolved, pending } = await d.burst('a', Array<number>(count).fill(size), 500, true);
      if (pending === 0) throw new Error('nothing was left waiting');
      const outcomes = await d.resume();
      checkEqual(outcomes.slice(0, resolved), Array<string>(resolved).fill('ok'), 'sends queued before close');
      checkEqual(outcomes.slice(resolved), Array<string>(pending).fill('rejected: link closed'), 'sends waiting at close');
      checkEqual(await d.waitCloses('a', 1), 1, 'closes at a');
      checkEqual(await d.waitCloses('b', 1), 1, 'closes at b');
    },
  },
  {
    name: 'close() on one end fires close once on both ends, and later sends reject on both',
    async run(d) {
      await d.listen('a');
      await d.listen('b');
      await d.close('a');
      checkEqual(await d.waitCloses('a', 1), 1, 'closes at a');
      checkEqual(await d.waitCloses('b', 1), 1, 'closes at b');
      await d.close('a');
      await d.close('b');
      await d.pause(200);
      checkEqual(await d.waitCloses('a', 1), 1, 'closes at a after closing again');
      checkEqual(await d.waitCloses('b', 1), 1, 'closes at b after closing it too');
      checkEqual(await d.send('a', [1], 600), ['rejected: link closed'], 'send from a');
      checkEqual(await d.send('b', [1], 601), ['rejected: link closed'], 'send from b');
    },
  },
  {
    // The 64 KiB frame limit is the codec's (maxFrameBytes, checked on encode and parse), not the
    // link's: the link carries any frame up to the channel's max-message-size (256 KiB between
    // Chromiums, from the SDP) and refuses a bigger one, staying open.
    name: 'carries a frame above 64 KiB whole, up to the max message size; refuses a bigger one and stays open',
    async run(d) {
      const { maxMessageBytes } = await d.info();
      const sizes = [128 * kib, 1, maxMessageBytes, maxMessageBytes + 1, 4 * maxMessageBytes, 2];
      await d.listen('b');
      const outcomes = await d.send('a', sizes, 700);
      checkEqual(outcomes.map((o) => (o === 'ok' ? o : 'rejected')), ['ok', 'ok', 'ok', 'rejected', 'rejected', 'ok'], 'sends');
      const arrived = [0, 1, 2, 5].map((i) => reportOf(frameBytes(sizes[i] ?? 0, 700 + i)));
      checkEqual(await d.waitReceived('b', arrived.length), arrived, 'frames at b');
    },
  },
];

/** Registers the suite under `name`; `open` is called once per case and must return a fresh, connected pair. */
export function describePeerLinkCompliance(name: string, open: () => Promise<PeerLinkDriver>, runner: TestRunner): void {
  runner.describe(`PeerLink compliance: ${name}`, () => {
    for (const c of peerLinkComplianceCases) {
      runner.it(c.name, async () => {
        const driver = await open();
        try {
          await c.run(driver);
        } finally {
          await driver.dispose();
        }
      });
    }
  });
}
