// The fluid bound: Kumar & Ross's three terms for a flash crowd, and arrivals and departures.
import { describe, expect, it } from 'vitest';
import { fluidBoundMs, type BoundPeer } from './fluid-bound';

const mbit = 1e6 / 8;
const mib = 1024 * 1024;
const peer = (upMbit: number, downMbit: number, fromMs = 0, untilMs = Infinity, completes = true): BoundPeer => ({
  fromMs,
  untilMs,
  upBytesPerSecond: upMbit * mbit,
  downBytesPerSecond: downMbit * mbit,
  completes,
});

describe('fluidBoundMs', () => {
  it("gives issue 22's 25.2 s for its lab of 7 homes (N·F / (u_s + Σ u_i) decides)", () => {
    const homes = [peer(1, 20), peer(2, 25), peer(2, 30), peer(4, 35), peer(4, 40), peer(8, 50)];
    expect(fluidBoundMs(12 * mib, peer(4, 40, 0, Infinity, false), homes) / 1000).toBeCloseTo(25.17, 2);
  });

  it.each([
    { name: 'the sharer decides: F / u_s', sharerUp: 1, homes: [peer(100, 1000)], seconds: 8 },
    { name: 'the slowest downlink decides: F / d_min', sharerUp: 1000, homes: [peer(100, 1000), peer(100, 2)], seconds: 4 },
  ])('$name', ({ sharerUp, homes, seconds }) => {
    expect(fluidBoundMs(1e6, peer(sharerUp, 1000, 0, Infinity, false), homes) / 1000).toBeCloseTo(seconds, 6);
  });

  it('counts the upload of peers only while present, and the need of those that complete only', () => {
    // Sharer 8 Mbit/s (1 MB/s). Two peers need 2 MB; a third, at 8 Mbit/s up, is there from 0.5 s to 1 s and leaves early.
    const staying = [peer(0, 1000), peer(0, 1000)];
    const leaver = peer(8, 1000, 500, 1000, false);
    // By 0.5 s: 0.5 MB; 0.5–1 s at 2 MB/s: 1 MB more; the last 0.5 MB at 1 MB/s: done at 1.5 s.
    expect(fluidBoundMs(1e6, peer(8, 1000, 0, Infinity, false), [...staying, leaver])).toBeCloseTo(1500, 6);
  });

  it('waits for a late arrival to download over its own downlink', () => {
    expect(fluidBoundMs(1e6, peer(800, 1000, 0, Infinity, false), [peer(0, 8, 60_000)])).toBeCloseTo(61_000, 6);
  });
});
