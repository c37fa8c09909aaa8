// When an open request is given up and asked elsewhere: pure rules over a request's progress, so the
// cases are tested as a table (downloads.ts applies them each stall check).
import type { OpenRequest } from './claims';
import { maxQueuedWaitTimeouts, minRequestBytesPerSecond } from './constants';

type Progress = Pick<OpenRequest, 'received' | 'lastProgressMs' | 'firstByteMs'>;

/**
 * No data for `timeoutMs`. A request not started yet counts from the peer's last data to us (it serves
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
