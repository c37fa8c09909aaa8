import { describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../clock';
import { chunkKey, createClaims, type OpenRequest } from './claims';
import { createRateMeter, createWindowRate, speedWindowMs } from './rate-meter';
import { createUploadLimiter } from './upload-limiter';

/** Awaits `promise`, moving `clock` on timer by timer whenever nothing else is left to run. */
async function onClock<T>(clock: ManualClock, promise: Promise<T>): Promise<T> {
  let done = false;
  void promise.then(() => (done = true));
  for (;;) {
    await new Promise((resolve) => setImmediate(resolve));
    if (done) return promise;
    const nextMs = clock.pending()[0];
    if (nextMs === undefined) throw new Error('waiting with no timer set');
    clock.advance(nextMs);
  }
}

describe('upload limiter', () => {
  it.each([
    [100_000, 1_000_000],
    [1_000_000, 5_000_000],
    [65_536, 65_536 * 20],
  ])('at %i B/s, sending %i bytes in 64 KiB frames takes bytes/limit seconds (± one burst)', async (limit, total) => {
    const clock = createManualClock();
    const limiter = createUploadLimiter(clock);
    limiter.setLimit(limit);
    for (let sent = 0; sent < total; sent += 65_536) await onClock(clock, limiter.take(Math.min(65_536, total - sent)));
    const expectedMs = ((total - 65_536) * 1000) / limit;
    expect(clock.now()).toBeGreaterThanOrEqual(expectedMs * 0.95);
    expect(clock.now()).toBeLessThanOrEqual(expectedMs * 1.05 + 300);
  });

  it('does not wait at all without a limit, and can be lifted', async () => {
    const clock = createManualClock();
    const limiter = createUploadLimiter(clock);
    for (let i = 0; i < 100; i++) await limiter.take(1_000_000);
    expect(clock.now()).toBe(0);
    limiter.setLimit(1000);
    limiter.setLimit(null);
    await limiter.take(1_000_000);
    await limiter.take(1_000_000);
    expect(clock.now()).toBe(0);
    expect(clock.pending()).toEqual([]); // it never set a timer
    expect(limiter.limit()).toBeNull();
  });
});

describe('rate meter', () => {
  it('converges on a steady rate and decays when the peer goes quiet', () => {
    const clock = createManualClock();
    const meter = createRateMeter(clock);
    for (let i = 0; i < 200; i++) {
      clock.advance(100);
      meter.add(1_000_000); // 10 MB/s
    }
    expect(meter.bytesPerSecond()).toBeGreaterThan(9_500_000);
    expect(meter.bytesPerSecond()).toBeLessThan(10_500_000);
    clock.advance(10_000);
    expect(meter.bytesPerSecond()).toBeLessThan(500_000);
  });
});

describe('claims', () => {
  const request = (id: number, peerId: string, chunkIndex: number): OpenRequest => ({
    id, peerId, itemId: 'item', chunkIndex, buffer: new Uint8Array(1), received: 0, lastProgressMs: 0,
  });

  it('counts distinct claimed chunks per item across duplicates and storing', () => {
    const claims = createClaims();
    claims.add(request(1, 'a', 0));
    claims.add(request(2, 'b', 0)); // endgame duplicate
    claims.add(request(3, 'a', 1));
    expect(claims.claimedCount('item')).toBe(2);
    expect(claims.openCount('a')).toBe(2);
    expect(claims.forChunk('item', 0).map((r) => r.id)).toEqual([1, 2]);
    claims.remove(1);
    claims.setStoring('item', 0, true);
    claims.remove(2);
    expect(claims.isClaimed('item', 0)).toBe(true);
    expect(claims.claimedCount('item')).toBe(2);
    claims.setStoring('item', 0, false);
    claims.remove(3);
    expect(claims.claimedCount('item')).toBe(0);
    expect(claims.remove(3)).toBeUndefined();
    expect(chunkKey('item', 4)).toBe('item:4');
  });
});

describe('windowed speed', () => {
  it('averages the last 3 s, never over less than a second, and falls to zero when the bytes stop', () => {
    const clock = createManualClock();
    const speed = createWindowRate(clock);
    speed.add(1000);
    expect(speed.bytesPerSecond()).toBe(1000); // over one second, not the instant it arrived
    for (let s = 0; s < 10; s++) {
      clock.advance(500);
      speed.add(1000); // 2 kB/s
    }
    expect(speed.bytesPerSecond()).toBeCloseTo(2000, -2);
    clock.advance(speedWindowMs + 250);
    expect(speed.bytesPerSecond()).toBe(0);
  });
});
