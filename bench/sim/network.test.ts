// The modelled network on the event clock: fair sharing of an uplink and a downlink, latency, order.
import { describe, expect, it } from 'vitest';
import { createEventClock } from './event-clock';
import { createNetwork } from './network';

/** A network of hosts with these capacities (bytes per second), recording when each frame arrives. */
function setUp(capacities: { up: number; down: number }[]) {
  const clock = createEventClock();
  const network = createNetwork({ clock });
  const hosts = capacities.map((c) => network.addHost({ upBytesPerSecond: c.up, downBytesPerSecond: c.down }));
  const arrivals: { flow: string; bytes: number; atMs: number }[] = [];
  const flow = (name: string, from: number, to: number, latencyMs = 0) =>
    network.openFlow(hosts[from]!, hosts[to]!, latencyMs, {
      delivered: (frame) => arrivals.push({ flow: name, bytes: frame.length, atMs: clock.now() }),
      drained: () => undefined,
    });
  const runAll = (): void => {
    for (let next = clock.nextDueMs(); next !== undefined; next = clock.nextDueMs()) clock.advanceTo(next);
  };
  return { clock, flow, arrivals, runAll };
}

describe('network', () => {
  // Two flows from host 0, to hosts 1 and 2 (uplinks 1,000 B/s), each delivering one frame.
  it.each([
    { name: 'gives two flows on one uplink half of it each', downs: [10_000, 10_000], bytes: [500, 500], atMs: [1000, 1000] },
    // The slow receiver takes 200 B/s; the other flow gets the remaining 800 B/s of the uplink.
    { name: "leaves what a flow held by its receiver's downlink cannot use to the other flow", downs: [200, 10_000], bytes: [200, 800], atMs: [1000, 1000] },
    // Both at 500 B/s until 200 ms (100 bytes each); then 800 bytes at 1,000 B/s: 1,000 ms in all.
    { name: 'gives a flow the whole uplink once the other flow has finished', downs: [10_000, 10_000], bytes: [100, 900], atMs: [200, 1000] },
  ])('$name', ({ downs, bytes, atMs }) => {
    const { flow, arrivals, runAll } = setUp([{ up: 1000, down: 1000 }, ...downs.map((down) => ({ up: 1000, down }))]);
    bytes.forEach((length, i) => flow(`to ${i + 1}`, 0, i + 1).enqueue(new Uint8Array(length)));
    runAll();
    expect(arrivals).toEqual(bytes.map((length, i) => ({ flow: `to ${i + 1}`, bytes: length, atMs: atMs[i] })));
  });

  it("delays delivery by the link's latency, and keeps frames in order", () => {
    const { flow, arrivals, runAll } = setUp([{ up: 1000, down: 1000 }, { up: 1000, down: 1000 }]);
    const f = flow('f', 0, 1, 40);
    f.enqueue(new Uint8Array(100));
    f.enqueue(new Uint8Array(1));
    f.enqueue(new Uint8Array(200));
    runAll();
    expect(arrivals.map((a) => [a.bytes, a.atMs])).toEqual([
      [100, 140],
      [1, 141],
      [200, 341],
    ]);
  });

  it('drops what is queued when a flow closes, but delivers what already left', () => {
    const { clock, flow, arrivals, runAll } = setUp([{ up: 1000, down: 1000 }, { up: 1000, down: 1000 }]);
    const f = flow('f', 0, 1, 50);
    f.enqueue(new Uint8Array(100));
    f.enqueue(new Uint8Array(100));
    clock.advanceTo(120); // the first frame left at 100 ms and is on its way
    f.close();
    runAll();
    expect(arrivals.map((a) => [a.bytes, a.atMs])).toEqual([[100, 150]]);
    expect(f.queuedBytes).toBe(0);
  });
});
