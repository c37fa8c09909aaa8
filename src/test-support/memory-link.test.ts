// The in-memory link passes the PeerLink compliance suite (the WebRTC link passes it in e2e/peer-link.spec.ts).
import { describe, expect, it } from 'vitest';
import { highWatermarkBytes } from '../transport/constants';
import { createLinkPair, defaultMaxMessageBytes } from './memory-link';
import { createLocalDriver, describePeerLinkCompliance, frameBytes, type LinkPairUnderTest } from './peer-link-compliance';

/** A small watermark, so backpressure shows with a few frames. */
const testWatermarkBytes = 128 * 1024;

function openMemoryPair(watermarkBytes?: number): LinkPairUnderTest {
  const pair = createLinkPair('A', 'B', watermarkBytes === undefined ? {} : { highWatermarkBytes: watermarkBytes });
  return {
    a: pair.a,
    b: pair.b,
    highWatermarkBytes: watermarkBytes ?? highWatermarkBytes,
    maxMessageBytes: defaultMaxMessageBytes,
    stall: () => pair.stall(true),
    // While stalled nothing drains, however long we wait: a few tasks are plenty.
    settle: () => new Promise((resolve) => setTimeout(resolve, 20)),
    resume: () => pair.stall(false),
    dispose: () => {
      pair.a.close();
      pair.b.close();
    },
  };
}

describePeerLinkCompliance('in-memory link (WebRTC watermarks)', () => createLocalDriver(() => openMemoryPair()), { describe, it });
describePeerLinkCompliance('in-memory link (128 KiB watermark)', () => createLocalDriver(() => openMemoryPair(testWatermarkBytes)), { describe, it });

describe('in-memory link extras', () => {
  it('counts queued bytes like bufferedAmount, and drains them once resumed', async () => {
    const pair = createLinkPair('A', 'B', { highWatermarkBytes: 100 });
    pair.stall(true);
    const sends = [60, 60, 60].map((size, i) => pair.a.send(frameBytes(size, i)));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pair.queuedBytes()).toEqual({ a: 120, b: 0 });
    pair.stall(false);
    await Promise.all(sends);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(pair.queuedBytes()).toEqual({ a: 0, b: 0 });
  });

  it('queues a copy: the sender may reuse its buffer once send() returns', async () => {
    const pair = createLinkPair('A', 'B');
    const got: Uint8Array[] = [];
    pair.b.listen({ frame: (f) => got.push(f), close: () => undefined });
    const buffer = Uint8Array.of(1, 2, 3);
    const sent = pair.a.send(buffer);
    buffer.fill(0);
    await sent;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(got).toEqual([Uint8Array.of(1, 2, 3)]);
  });
});
