import { describe, expect, it } from 'vitest';
import { maxDataPayloadBytes } from '../protocol/codec';
import { maxQueuedWaitTimeouts, minRequestBytesPerSecond, stallFrameIntervals } from './constants';
import { requestStalled, requestTooSlow, stallTimeoutMs } from './stall-rules';

const timeoutMs = 10_000;
const nowMs = 100_000;

describe('requestStalled', () => {
  it.each([
    { name: 'asked within the timeout', received: 0, lastProgressMs: nowMs - timeoutMs + 1, peerLastDataMs: undefined, expected: false },
    { name: 'nothing at all from the peer for the timeout', received: 0, lastProgressMs: nowMs - timeoutMs, peerLastDataMs: undefined, expected: true },
    { name: 'queued while the peer sends us an earlier chunk', received: 0, lastProgressMs: nowMs - timeoutMs * 2, peerLastDataMs: nowMs - 100, expected: false },
    { name: 'queued, and the peer went quiet too', received: 0, lastProgressMs: nowMs - timeoutMs * 2, peerLastDataMs: nowMs - timeoutMs, expected: true },
    { name: 'queued past the bound though the peer sends others', received: 0, lastProgressMs: nowMs - timeoutMs * maxQueuedWaitTimeouts, peerLastDataMs: nowMs - 100, expected: true },
    { name: 'started, then no more of it (the peer sends one chunk at a time)', received: 65_536, lastProgressMs: nowMs - timeoutMs, peerLastDataMs: nowMs - 100, expected: true },
  ])('$name', ({ received, lastProgressMs, peerLastDataMs, expected }) => {
    expect(requestStalled({ received, lastProgressMs }, peerLastDataMs, nowMs, timeoutMs)).toBe(expected);
  });
});

describe('requestTooSlow', () => {
  const firstByteMs = nowMs - 2 * timeoutMs;
  const floorBytes = (minRequestBytesPerSecond * 2 * timeoutMs) / 1000;
  it.each([
    { name: 'not started', received: 0, firstByteMs: undefined, expected: false },
    { name: 'started less than a timeout ago', received: 1, firstByteMs: nowMs - timeoutMs + 1, expected: false },
    { name: 'at the floor rate since its first byte', received: floorBytes, firstByteMs, expected: false },
    { name: 'below it', received: floorBytes - 1, firstByteMs, expected: true },
  ])('$name', ({ received, firstByteMs, expected }) => {
    const progress = firstByteMs === undefined ? { received, lastProgressMs: nowMs } : { received, lastProgressMs: nowMs, firstByteMs };
    expect(requestTooSlow(progress, nowMs, timeoutMs)).toBe(expected);
  });
});

describe('stallTimeoutMs: slow is not hostile', () => {
  it.each([
    { name: 'a link not measured yet', bytesPerSecond: 0, expected: timeoutMs },
    { name: 'a fast link', bytesPerSecond: 40_000_000, expected: timeoutMs },
    { name: 'a link whose frames come just often enough', bytesPerSecond: (stallFrameIntervals * maxDataPayloadBytes * 1000) / timeoutMs, expected: timeoutMs },
    { name: 'a 2 KB/s share of a slow uplink: three of its frame intervals', bytesPerSecond: 2_000, expected: (stallFrameIntervals * maxDataPayloadBytes * 1000) / 2_000 },
  ])('$name', ({ bytesPerSecond, expected }) => {
    expect(stallTimeoutMs(timeoutMs, bytesPerSecond)).toBeCloseTo(expected, 6);
  });

  it('an honest link at the floor rate keeps its request; a drip below it does not', () => {
    const firstByteMs = nowMs - 3 * timeoutMs;
    const honest = { received: (2_048 * 3 * timeoutMs) / 1000, lastProgressMs: nowMs - 1_000, firstByteMs };
    const drip = { received: 4, lastProgressMs: nowMs - 1_000, firstByteMs };
    expect(requestTooSlow(honest, nowMs, timeoutMs)).toBe(false);
    expect(requestTooSlow(drip, nowMs, timeoutMs)).toBe(true);
    // Its 64 KiB frames arrive ~32 s apart: no stall in between, by its own measured rate.
    const waiting = { received: maxDataPayloadBytes, lastProgressMs: nowMs - 25_000 };
    expect(requestStalled(waiting, nowMs - 25_000, nowMs, stallTimeoutMs(timeoutMs, 2_048))).toBe(false);
    expect(requestStalled(waiting, nowMs - 25_000, nowMs, timeoutMs)).toBe(true);
  });
});
