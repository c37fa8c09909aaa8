// Media watched while it downloads: the engine fetches the window from the playback position first,
// in order, and a seek moves the window.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeFrame } from '../protocol/codec';
import { createSwarmSimulation, destroyAll, randomBytes, readItem, shareBytes, statusOf } from '../../test-support/swarm-fixtures';
import { windowChunks } from './request-chooser';

/** Fake time a test may take: a transfer over in-memory links needs no timer at all. */
const fakeLimitMs = 5_000;

/** Small chunks and a window of two, so "in order" and "the rest" can be told apart quickly. */
const chunkBytes = 1000;
const streamWindowBytes = 2 * chunkBytes;

let sim: ReturnType<typeof createSwarmSimulation>;
beforeEach(() => (sim = createSwarmSimulation()));
afterEach(destroyAll);

describe('streaming window', () => {
  it('asks for the window from the playback position first, in order, and a seek moves it', async () => {
    expect(windowChunks(chunkBytes, streamWindowBytes)).toBe(2);
    // An upload limit makes the transfer take fake time, so the viewer can seek while it runs.
    const seeder = sim.peer({ uploadLimit: 4 * chunkBytes });
    const viewer = sim.peer({ autoDownload: false, streamWindowBytes });
    const data = randomBytes(12 * chunkBytes + 5, 7);
    const signed = await shareBytes(seeder.swarm, seeder.store, 'film.webm', data, chunkBytes);
    const asked: number[] = [];
    sim.connect(viewer.swarm, 'V', seeder.swarm, 'S').tamperFromA((frame) => {
      const message = decodeFrame(frame);
      if (message?.type === 'request') asked.push(message.chunkIndex);
      return frame;
    });
    await sim.settle();
    expect(statusOf(viewer.swarm, signed.itemId)).toBe('available');

    // Playing from chunk 6 starts the download, and chunks 6 and 7 are asked first.
    viewer.swarm.focus(signed.itemId, 6);
    expect(statusOf(viewer.swarm, signed.itemId)).toBe('downloading');
    await sim.settle();
    expect(asked.slice(0, 2)).toEqual([6, 7]);
    // Seeking to chunk 10 once those are in: 10 and 11 are the next asked (unless asked already).
    await sim.runUntil(() => viewer.swarm.pieceMap(signed.itemId, 100)?.held[7] === 1, fakeLimitMs, 'the first window');
    const before = asked.length;
    const wanted = [10, 11].filter((chunk) => !asked.includes(chunk));
    viewer.swarm.focus(signed.itemId, 10);
    await sim.runUntil(() => asked.length >= before + wanted.length, fakeLimitMs, 'requests after the seek');
    expect(asked.slice(before, before + wanted.length)).toEqual(wanted);
    expect(wanted.length).toBeGreaterThan(0);
    await sim.runUntil(() => statusOf(viewer.swarm, signed.itemId) === 'complete', fakeLimitMs, 'completion');
    expect(await readItem(viewer.store, signed)).toEqual(data);
  });
});
