// When an open request is given up and asked elsewhere: pure rules over a request's progress, so the
// cases are tested as a table (downloads.ts applies them each stall check).
import type { OpenRequest } from './claims';
import { maxDataPayloadBytes } from '../protocol/codec';
import { maxQueuedWaitTimeouts, minRequestBytesPerSecond, stallFrameIntervals } from './constants';

type Progress = Pick<OpenRequest, 'received' | 'lastProgressMs' | 'firstByteMs'>;

/**
 * How long a request from a link may go without data before it counts as stalled: `timeoutMs`, or
 * longer on a link measured slow (when it last sent us data), which delivers a whole frame only that
 * rarely. `bytesPerSecond` 0 means not measured yet.
 */
export function stallTimeoutMs(timeoutMs: number, bytesPerSecond: number): number {
  if (bytesPerSecond <= 0) return timeoutMs;
  return Math.max(timeoutMs, (stallFrameIntervals * maxDataPayloadBytes * 1000) / bytesPerSecond);
}

/**
 * No data for `timeoutMs` (see `stallTimeoutMs`). A request not started yet counts from the peer's last data to us (it serves
 * one chunk at a time, so ours waits while it sends us an earlier one), for at most
 * `maxQueuedWaitTimeouts` timeouts: a peer that serves others of ours but never this one loses it.
 */
export function requestStalled(request: Progress, peerLastDataMs: number | undefined, nowMs: number, timeoutMs: number): boolean {
  const waitedMs = nowMs - request.lastProgressMs;
  if (waitedMs < timeoutMs) return false;
  if (request.received > 0 || waitedMs >= timeoutMs * maxQueuedWaitTimeouts) return true;
  return nowMs - (peerLastDataMs ?? -Infinity) >= timeoutMs;
}

/** Data started and then slowed below `minRequestBytesPerSecond`, averaged since its first byte. */
export function requestTooSlow(request: Progress, nowMs: number, timeoutMs: number): boolean {
  if (request.firstByteMs === undefined || nowMs - request.firstByteMs < timeoutMs) return false;
  return request.received < (minRequestBytesPerSecond * (nowMs - request.firstByteMs)) / 1000;
}
