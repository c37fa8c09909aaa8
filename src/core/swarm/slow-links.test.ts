// Slow is not hostile: an honest peer behind a slow uplink keeps its requests and its link, while a
// dripping member still keeps no chunk (hostile-peers.test.ts). On fake time, with the upload limit
// standing in for a slow uplink.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../protocol/codec';
import { maxDataPayloadBytes } from '../protocol/codec';
import { createSwarmSimulation, destroyAll, randomBytes, readItem, shareBytes, statusOf } from '../../test-support/swarm-fixtures';
import { minDataFrameBytes } from './constants';
import { dataFrameBytes } from './serving';

afterEach(destroyAll);

describe('dataFrameBytes', () => {
  it.each([
    { name: 'a fresh link: the smallest frame', bytesPerSecond: 0, expected: minDataFrameBytes },
    { name: 'a 2 KB/s share of a slow uplink: still the smallest', bytesPerSecond: 2_000, expected: minDataFrameBytes },
    { name: 'a 5 KB/s share (25 links on 1 Mbit/s): the smallest', bytesPerSecond: 5_000, expected: minDataFrameBytes },
    { name: 'a quarter second of a 40 KB/s link', bytesPerSecond: 40_000, expected: 10_000 },
    { name: 'a fast link: a whole frame', bytesPerSecond: 40_000_000, expected: maxDataPayloadBytes },
  ])('$name', ({ bytesPerSecond, expected }) => {
    expect(dataFrameBytes(bytesPerSecond)).toBe(expected);
  });
});

describe('an honest seeder on a slow uplink', () => {
  it('keeps every request: 4 KB/s, frames of a second or two of it at most, nothing withdrawn or struck', async () => {
    const sim = createSwarmSimulation();
    const logged: string[] = [];
    const seeder = sim.peer({ uploadLimit: 4_000 });
    const leecher = sim.peer({ log: (event) => logged.push(event) });
    const data = randomBytes(4 * 65_536, 21);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'slow.bin', data, 65_536);
    const frameSizes: number[] = [];
    sim.connect(seeder.swarm, 'S', leecher.swarm, 'L').tamperFromA((frame) => {
      const message = decodeFrame(frame);
      if (message?.type === 'data') frameSizes.push(message.bytes.length);
      return frame;
    });
    // 256 KiB at 4 KB/s: about 66 s of fake time.
    await sim.runUntil(() => statusOf(leecher.swarm, signed.itemId) === 'complete', 120_000, 'complete');
    expect(await readItem(leecher.store, signed)).toEqual(data);
    // Frames follow the measured rate (bursts of the limiter's bucket measure up to twice it): never a whole 64 KiB.
    expect(Math.max(...frameSizes)).toBeLessThanOrEqual(2 * 4_000);
    expect(logged).not.toContain('requests-stalled');
    expect(leecher.swarm.getSnapshot().peers.map((p) => p.peerId)).toEqual(['S']);
  }, 60_000); // ~66 s of fake time, stepped timer by timer
});
