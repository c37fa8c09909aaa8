// The simulated link passes the PeerLink compliance suite the in-memory and WebRTC links pass. The
// suite waits in real time, so a pump moves the simulation clock from timer to timer meanwhile.
import { describe, expect, it } from 'vitest';
import { defaultMaxMessageBytes } from '../../src/test-support/memory-link';
import { createLocalDriver, describePeerLinkCompliance, frameBytes, type LinkPairUnderTest } from '../../src/test-support/peer-link-compliance';
import { highWatermarkBytes, lowWatermarkBytes } from '../../src/transport/constants';
import { createEventClock } from './event-clock';
import { createNetwork } from './network';
import { createSimLinkPair } from './sim-link';

/** Access links of the pair under test: fast, so the suite's megabytes cross in little simulated time. */
const testCapacity = { upBytesPerSecond: 100e6, downBytesPerSecond: 100e6 };

/** Real ms between pump rounds; each round runs every timer due by then. */
const pumpIntervalMs = 1;

function openSimPair(): LinkPairUnderTest & { readonly clock: ReturnType<typeof createEventClock> } {
  const clock = createEventClock();
  const network = createNetwork({ clock });
  const [hostA, hostB] = [network.addHost(testCapacity), network.addHost(testCapacity)];
  const pair = createSimLinkPair(network, clock, { a: { peerId: 'B', host: hostA }, b: { peerId: 'A', host: hostB } }, { latencyMs: 10, highWatermarkBytes, lowWatermarkBytes });
  let stalled = false;
  const runDue = (): void => {
    for (let next = clock.nextDueMs(); next !== undefined; next = clock.nextDueMs()) clock.advanceTo(next);
  };
  const pump = setInterval(runDue, pumpIntervalMs);
  const setStalled = (on: boolean): void => {
    stalled = on;
    const capacity = stalled ? { upBytesPerSecond: testCapacity.upBytesPerSecond, downBytesPerSecond: 0 } : testCapacity;
    network.setCapacity(hostA, capacity);
    network.setCapacity(hostB, capacity);
  };
  return {
    clock,
    a: pair.a,
    b: pair.b,
    highWatermarkBytes,
    maxMessageBytes: defaultMaxMessageBytes,
    stall: () => setStalled(true),
    // While stalled nothing drains, however long the clock runs: a few pump rounds are plenty.
    settle: () => new Promise((resolve) => setTimeout(resolve, 20)),
    resume: () => setStalled(false),
    dispose: () => {
      pair.a.close();
      pair.b.close();
      runDue();
      clearInterval(pump);
    },
  };
}

describePeerLinkCompliance('simulated link', () => createLocalDriver(() => openSimPair()), { describe, it });

describe('simulated link extras', () => {
  it('tells its tap how much it buffers, and that it closed', async () => {
    const clock = createEventClock();
    const network = createNetwork({ clock });
    const hosts = [network.addHost({ upBytesPerSecond: 1000, downBytesPerSecond: 1000 }), network.addHost(testCapacity)] as const;
    const seen: string[] = [];
    let buffered = 0;
    const tap = { sent: () => seen.push('sent'), received: () => seen.push('received'), buffered: (d: number) => (buffered += d), closed: () => seen.push('closed') };
    const pair = createSimLinkPair(network, clock, { a: { peerId: 'B', host: hosts[0], tap }, b: { peerId: 'A', host: hosts[1] } }, { latencyMs: 5, highWatermarkBytes: 100, lowWatermarkBytes: 10 });
    const sent = pair.a.send(frameBytes(500, 1));
    await sent;
    expect(buffered).toBe(500);
    clock.advance(499);
    expect(buffered).toBe(500);
    clock.advance(1); // 500 bytes at 1,000 B/s: the last byte leaves at 500 ms
    expect(buffered).toBe(0);
    pair.a.close();
    expect(seen).toEqual(['sent', 'closed']);
  });
});
