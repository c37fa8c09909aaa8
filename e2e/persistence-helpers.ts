// Helpers for persistence tests: record which chunks a peer requests, across reloads.
import type { Page } from '@playwright/test';

/** localStorage key under which the request recorder keeps its log (test-only). */
export const requestLogKey = 'test.chunkRequests';

/**
 * Test-only, run in the page before the app: records the chunk index of every `request` frame
 * (type byte 6) the page sends, alone or in a batch, tagged with the page load, in localStorage (it survives reloads).
 */
export function recordChunkRequests(): void {
  const load = String(performance.timeOrigin);
  /** The frames of one message: a batch (type byte 10: u32 length, frame, …) holds several. */
  const framesOf = (bytes: Uint8Array): Uint8Array[] => {
    if (bytes[0] !== 10) return [bytes];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const frames: Uint8Array[] = [];
    for (let at = 1; at + 4 <= bytes.length; ) {
      const length = view.getUint32(at);
      frames.push(bytes.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
    return frames;
  };
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: string | Blob | ArrayBuffer | ArrayBufferView) {
    if (ArrayBuffer.isView(data)) {
      for (const frame of framesOf(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) {
        if (frame.length !== 41 || frame[0] !== 6) continue;
        const log = JSON.parse(localStorage.getItem('test.chunkRequests') ?? '[]') as [string, number][];
        log.push([load, new DataView(frame.buffer, frame.byteOffset, frame.length).getUint32(37)]);
        localStorage.setItem('test.chunkRequests', JSON.stringify(log));
      }
    }
    return Reflect.apply(send, this, [data]) as void;
  } as typeof RTCDataChannel.prototype.send;
}

/** The recorded requests, grouped by page load in the order of the loads. */
export async function requestsByLoad(page: Page): Promise<number[][]> {
  const log = JSON.parse((await page.evaluate((key) => localStorage.getItem(key), requestLogKey)) ?? '[]') as [string, number][];
  const loads = [...new Set(log.map(([load]) => load))].sort((a, b) => Number(a) - Number(b));
  return loads.map((load) => log.filter(([l]) => l === load).map(([, index]) => index));
}

/** The chunk indexes set in a bitmask. */
export function indexesOf(mask: bigint, count: number): number[] {
  return Array.from({ length: count }, (_, i) => i).filter((i) => ((mask >> BigInt(i)) & 1n) === 1n);
}
