import { describe, expect, it } from 'vitest';
import { createGroupedReader } from './grouped-reads';

const blobOf = (...bytes: number[]) => new Blob([new Uint8Array(bytes)]);

/** A join that records each group's sizes and can fail the joined read. */
function recordingJoin(failJoined = false) {
  const groups: number[][] = [];
  const join = (blobs: Blob[]): Blob => {
    groups.push(blobs.map((b) => b.size));
    if (!failJoined) return new Blob(blobs);
    const failing = new Blob(blobs);
    failing.arrayBuffer = () => Promise.reject(new Error('unreadable'));
    return failing;
  };
  return { groups, join };
}

describe('grouped reads', () => {
  it('reads the Blobs asked for in one task as one read, each caller getting its own bytes', async () => {
    const { groups, join } = recordingJoin();
    const read = createGroupedReader(1024, join);
    const results = await Promise.all([read(blobOf(1, 2)), read(blobOf(3)), read(blobOf(4, 5, 6))]);
    expect(results.map((r) => [...r])).toEqual([[1, 2], [3], [4, 5, 6]]);
    expect(groups).toEqual([[2, 1, 3]]);
  });

  it('splits a task’s reads into groups of at most the byte cap, and a lone read is not joined', async () => {
    const { groups, join } = recordingJoin();
    const read = createGroupedReader(4, join);
    const blobs = [blobOf(1, 1), blobOf(2, 2), blobOf(3, 3), blobOf(4, 4, 4, 4, 4)];
    const results = await Promise.all(blobs.map(read));
    expect(results.map((r) => r[0])).toEqual([1, 2, 3, 4]);
    expect(groups).toEqual([[2, 2]]); // then [3,3] alone (4 would pass the cap with the next), then the 5-byte one alone
    expect([...(await read(blobOf(9)))]).toEqual([9]);
    expect(groups).toHaveLength(1);
  });

  it('reads each Blob again on its own when the joined read fails, so one bad file fails only its reader', async () => {
    const { join } = recordingJoin(true);
    const read = createGroupedReader(1024, join);
    const bad = blobOf(7);
    bad.arrayBuffer = () => Promise.reject(new Error('file changed on disk'));
    const outcomes = await Promise.allSettled([read(blobOf(1)), read(bad), read(blobOf(2, 3))]);
    expect(outcomes.map((o) => (o.status === 'fulfilled' ? [...o.value] : (o.reason as Error).message))).toEqual([[1], 'file changed on disk', [2, 3]]);
  });
});
