// Helpers for swarm tests: peer ids, who served how much, and which chunks each peer holds.
import { expect, type Page } from '@playwright/test';
import { item } from './peers';

/** The id a page's peer has in the swarm. */
export async function myPeerId(page: Page): Promise<string> {
  const id = await page.locator('[data-testid=my-peer-id]').getAttribute('data-peer-id');
  if (!id) throw new Error('the page shows no peer id');
  return id;
}

/** Bytes this page downloaded from each connected peer, by peer id. */
export async function downloadedFrom(page: Page): Promise<Map<string, number>> {
  const rows = await page.locator('[data-testid=peer]').evaluateAll((elements) =>
    elements.map((e) => [e.getAttribute('data-peer-id') ?? '', Number(e.getAttribute('data-downloaded-bytes'))] as const),
  );
  return new Map(rows);
}

/** The chunks a page holds of an item, as a bigint bitmask (bit i = chunk i) and the chunk count. */
export async function heldChunks(page: Page, name: string): Promise<{ mask: bigint; count: number }> {
  const row = item(page, name);
  const hex = (await row.getAttribute('data-held')) ?? '';
  const count = Number(await row.getAttribute('data-chunks'));
  let mask = 0n;
  for (let i = 0; i < count; i++) {
    const byte = parseInt(hex.slice((i >> 3) * 2, (i >> 3) * 2 + 2) || '0', 16);
    if ((byte >> (7 - (i & 7))) & 1) mask |= 1n << BigInt(i);
  }
  return { mask, count };
}

/** Waits for an item to complete on every page. */
export async function expectAllComplete(pages: readonly Page[], name: string, timeout = 120_000): Promise<void> {
  for (const page of pages) await expect(item(page, name)).toHaveAttribute('data-state', 'complete', { timeout });
}

/**
 * Test-only fault injection, run in a page: once `window.__corruptData` is true, every data frame
 * (type byte 8) this peer sends alone has one payload byte flipped (a whole 64 KiB data frame of a 1 MiB
 * chunk always travels alone; a small chunk's frame may ride in a batch, untouched). The shipped app has no such switch.
 */
export function corruptOutgoingData(): void {
  const send = RTCDataChannel.prototype.send;
  RTCDataChannel.prototype.send = function (this: RTCDataChannel, data: string | Blob | ArrayBuffer | ArrayBufferView) {
    const flag = (window as unknown as { __corruptData?: boolean }).__corruptData;
    if (flag === true && ArrayBuffer.isView(data) && data.byteLength > 9) {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
      if (bytes[0] === 8) {
        bytes[9] = (bytes[9] ?? 0) ^ 0xff;
        return Reflect.apply(send, this, [bytes]) as void;
      }
    }
    return Reflect.apply(send, this, [data]) as void;
  } as typeof RTCDataChannel.prototype.send;
}
