import { describe, expect, it } from 'vitest';
import { createBitfield } from './bitfield';
import { maxRequestsPerPeer, minRequestsPerPeer } from './constants';
import { chooseRequests, requestDepth, windowChunks, type ChunkRequest } from './request-chooser';

const MiB = 1024 * 1024;
const nowMs = 10_000;

/** "1101" → a bitfield holding chunks 0, 1 and 3. */
const bits = (pattern: string) => {
  const field = createBitfield(pattern.length);
  [...pattern].forEach((bit, i) => bit === '1' && field.set(i));
  return field;
};

/** "A x 3" → peer A, item x, chunk 3 (and "x 3" without a peer). */
const parseRef = (text: string) => {
  const parts = text.split(' ');
  const chunkIndex = Number(parts.pop());
  const itemId = parts.pop() ?? '';
  return { peerId: parts.pop() ?? '', itemId, chunkIndex };
};
const show = (r: ChunkRequest) => `${r.peerId} ${r.itemId} ${r.chunkIndex}`;

interface ItemRow {
  readonly id: string;
  /** What we hold, one character per chunk. */
  readonly have: string;
  readonly availability: readonly number[];
  /** Media plays from this chunk. */
  readonly focus?: number;
}

interface PeerRow {
  readonly id: string;
  /** What it holds, per item id. */
  readonly holds: Readonly<Record<string, string>>;
  readonly bytesPerSecond?: number;
  readonly lastBytesPerSecond?: number;
  readonly refused?: readonly string[];
  readonly avoidUntil?: Readonly<Record<string, number>>;
}

interface ChooserCase {
  readonly name: string;
  readonly items: readonly ItemRow[];
  /** In the order they are asked. */
  readonly peers: readonly PeerRow[];
  readonly open?: readonly string[];
  /** Bytes still to come of every open request (absent: not told). */
  readonly remaining?: number;
  readonly storing?: readonly string[];
  /** The requests chosen, in order, as "peer item chunk". */
  readonly expected: readonly string[];
}

const x4 = (availability: number[], have = '0000'): ItemRow => ({ id: 'x', have, availability });

describe('chooseRequests', () => {
  // Ties go to the lowest index: random() is 0.99, so a later tie never replaces the pick.
  it.each<ChooserCase>([
    { name: 'rarest first, up to the minimum depth', items: [x4([3, 1, 2, 0])], peers: [{ id: 'A', holds: { x: '1110' } }], expected: ['A x 1', 'A x 2'] },
    { name: 'chunks we hold are not asked', items: [x4([2, 1, 1, 0], '0100')], peers: [{ id: 'A', holds: { x: '1110' } }], expected: ['A x 2', 'A x 0'] },
    { name: 'a peer without the item gets nothing', items: [x4([0, 0, 0, 0])], peers: [{ id: 'A', holds: {} }], expected: [] },
    { name: 'a fast peer gets a deeper pipeline', items: [x4([1, 1, 1, 0])], peers: [{ id: 'A', holds: { x: '1110' }, bytesPerSecond: 4 * MiB }], expected: ['A x 0', 'A x 1', 'A x 2'] },
    { name: 'open requests count toward the depth', items: [x4([2, 2, 2, 0])], peers: [{ id: 'A', holds: { x: '1110' } }, { id: 'B', holds: { x: '1110' } }], open: ['A x 0'], expected: ['A x 1', 'B x 2'] },
    { name: 'a chunk asked of someone else is not asked again', items: [x4([1, 1, 2, 0])], peers: [{ id: 'A', holds: { x: '0110' } }], open: ['B x 1'], expected: ['A x 2'] },
    { name: 'a chunk being stored is not asked again', items: [x4([1, 1, 2, 0])], peers: [{ id: 'A', holds: { x: '0110' } }], storing: ['x 1'], expected: ['A x 2'] },
    { name: 'a refused chunk is not asked of that peer', items: [x4([1, 1, 1, 0])], peers: [{ id: 'A', holds: { x: '1110' }, refused: ['x:0'] }], expected: ['A x 1', 'A x 2'] },
    { name: 'a stalled chunk is avoided until its time', items: [x4([1, 1, 1, 0])], peers: [{ id: 'A', holds: { x: '1110' }, avoidUntil: { 'x:0': nowMs + 1 } }], expected: ['A x 1', 'A x 2'] },
    { name: 'an avoidance that has ended no longer counts', items: [x4([1, 1, 1, 0])], peers: [{ id: 'A', holds: { x: '1110' }, avoidUntil: { 'x:0': nowMs } }], expected: ['A x 0', 'A x 1'] },
    { name: 'peers are filled in the order given', items: [x4([2, 2, 2, 0])], peers: [{ id: 'A', holds: { x: '1110' } }, { id: 'B', holds: { x: '1110' } }], expected: ['A x 0', 'A x 1', 'B x 2'] },
    { name: 'items are filled in order, the depth shared', items: [{ id: 'x', have: '00', availability: [1, 1] }, { id: 'y', have: '00', availability: [1, 1] }], peers: [{ id: 'A', holds: { x: '11', y: '11' } }], expected: ['A x 0', 'A x 1'] },
    {
      name: 'a seeder is kept for what only seeders hold',
      items: [x4([2, 2, 1, 1])],
      peers: [{ id: 'S', holds: { x: '1111' } }, { id: 'D', holds: { x: '1100' } }],
      expected: ['S x 2', 'S x 3', 'D x 0', 'D x 1'],
    },
    {
      name: 'a seeder is asked when the other holder refused the chunk',
      items: [{ id: 'x', have: '00', availability: [2, 1] }],
      peers: [{ id: 'S', holds: { x: '11' } }, { id: 'D', holds: { x: '10' }, refused: ['x:0'] }],
      expected: ['S x 1', 'S x 0'],
    },
    {
      name: 'a holder that only turned us away for now (busy with the chunk) still keeps the seeder for rarer ones',
      items: [{ id: 'x', have: '00', availability: [2, 1] }],
      peers: [{ id: 'S', holds: { x: '11' } }, { id: 'D', holds: { x: '10' }, avoidUntil: { 'x:0': nowMs + 1 } }],
      expected: ['S x 1'],
    },
    {
      name: 'the same seeder, the other holder usable',
      items: [{ id: 'x', have: '00', availability: [2, 1] }],
      peers: [{ id: 'S', holds: { x: '11' } }, { id: 'D', holds: { x: '10' } }],
      expected: ['S x 1', 'D x 0'],
    },
    {
      // (with one seeder, T would get nothing: 0 and 1 would be D's alone; D's pair is endgame's duplicates)
      name: 'two seeders are asked like anyone: neither is kept for what only seeders hold',
      items: [x4([3, 3, 2, 2])],
      peers: [{ id: 'S', holds: { x: '1111' } }, { id: 'T', holds: { x: '1111' } }, { id: 'D', holds: { x: '1100' } }],
      expected: ['S x 2', 'S x 3', 'T x 0', 'T x 1', 'D x 0', 'D x 1'],
    },
    { name: 'endgame: every missing chunk claimed, requests duplicated', items: [{ id: 'x', have: '00', availability: [2, 2] }], peers: [{ id: 'A', holds: { x: '11' } }], open: ['B x 0', 'B x 1'], expected: ['A x 0', 'A x 1'] },
    { name: 'endgame: a chunk asked of the most peers allowed is left', items: [{ id: 'x', have: '00', availability: [3, 3] }], peers: [{ id: 'A', holds: { x: '11' } }], open: ['B x 0', 'C x 0', 'B x 1'], expected: ['A x 1'] },
    { name: 'no endgame while a chunk is unclaimed', items: [{ id: 'x', have: '000', availability: [2, 2, 0] }], peers: [{ id: 'A', holds: { x: '110' } }], open: ['B x 0', 'B x 1'], expected: [] },
    { name: 'endgame: never twice of the same peer', items: [{ id: 'x', have: '0', availability: [1] }], peers: [{ id: 'A', holds: { x: '1' } }], open: ['A x 0'], expected: [] },
    {
      name: 'media playing from chunk 4: its window goes first and in order, skipping what is held or asked',
      items: [{ id: 'x', have: '000001000000', availability: [1, 1, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3], focus: 4 }],
      peers: [{ id: 'A', holds: { x: '111111111111' }, bytesPerSecond: MiB }],
      open: ['B x 6'],
      expected: ['A x 4', 'A x 7', 'A x 8'],
    },
    {
      name: 'a seeder is asked for the window even where others hold it',
      items: [{ id: 'x', have: '0000', availability: [2, 2, 1, 1], focus: 0 }],
      peers: [{ id: 'S', holds: { x: '1111' } }, { id: 'D', holds: { x: '1100' } }],
      expected: ['S x 0', 'S x 1'],
    },
    {
      name: 'past the window: rarest first again',
      items: [{ id: 'x', have: '1111111100', availability: [2, 2, 2, 2, 2, 2, 2, 2, 2, 1], focus: 0 }],
      peers: [{ id: 'A', holds: { x: '1111111111' } }],
      expected: ['A x 9', 'A x 8'],
    },
    {
      name: 'endgame: not duplicated of a peer about as fast as the one asked (a shared downlink)',
      items: [{ id: 'x', have: '00', availability: [2, 2] }],
      peers: [{ id: 'A', holds: { x: '11' }, bytesPerSecond: MiB }, { id: 'B', holds: { x: '11' }, bytesPerSecond: MiB }],
      open: ['B x 0', 'B x 1'],
      remaining: MiB,
      expected: [],
    },
    {
      name: 'endgame: duplicated of a peer expected four times sooner or more',
      items: [{ id: 'x', have: '00', availability: [2, 2] }],
      peers: [{ id: 'A', holds: { x: '11' }, bytesPerSecond: 8 * MiB }, { id: 'B', holds: { x: '11' }, bytesPerSecond: MiB }],
      open: ['B x 0', 'B x 1'],
      remaining: MiB,
      expected: ['A x 0', 'A x 1'],
    },
    {
      name: 'endgame: a peer asked nothing lately is judged by its rate when it last sent',
      items: [{ id: 'x', have: '00', availability: [2, 2] }],
      peers: [{ id: 'A', holds: { x: '11' }, lastBytesPerSecond: 8 * MiB }, { id: 'B', holds: { x: '11' }, bytesPerSecond: MiB }],
      open: ['B x 0', 'B x 1'],
      remaining: MiB,
      expected: ['A x 0', 'A x 1'],
    },
    {
      name: 'endgame: a chunk nearly received is left to its sender',
      items: [{ id: 'x', have: '0', availability: [2] }],
      peers: [{ id: 'A', holds: { x: '1' }, bytesPerSecond: 8 * MiB }, { id: 'B', holds: { x: '1' }, bytesPerSecond: MiB }],
      open: ['B x 0'],
      remaining: MiB / 4,
      expected: [],
    },
    { name: 'endgame: a chunk being stored is not duplicated', items: [{ id: 'x', have: '00', availability: [1, 1] }], peers: [{ id: 'A', holds: { x: '11' } }], storing: ['x 0'], expected: ['A x 1'] },
  ])('$name', ({ items, peers, open = [], remaining, storing = [], expected }) => {
    const chosen = chooseRequests({
      items: items.map((item) => ({
        itemId: item.id,
        chunkCount: item.have.length,
        chunkBytes: MiB,
        have: bits(item.have),
        availability: item.availability,
        ...(item.focus === undefined ? {} : { focus: { from: item.focus, to: item.focus + windowChunks(MiB) } }),
      })),
      peers: peers.map((peer) => ({
        peerId: peer.id,
        bytesPerSecond: peer.bytesPerSecond ?? 0,
        lastBytesPerSecond: peer.lastBytesPerSecond ?? 0,
        holds: new Map(Object.entries(peer.holds).map(([itemId, pattern]) => [itemId, bits(pattern)])),
        refused: new Set(peer.refused ?? []),
        avoidUntil: new Map(Object.entries(peer.avoidUntil ?? {})),
      })),
      open: open.map((text) => ({ ...parseRef(text), ...(remaining === undefined ? {} : { remainingBytes: remaining }) })),
      storing: storing.map(parseRef),
      nowMs,
      random: () => 0.99,
    });
    expect(chosen.map(show)).toEqual(expected);
  });
});

describe('requestDepth', () => {
  it.each([
    { name: 'an unmeasured peer gets the minimum', bytesPerSecond: 0, chunkBytes: MiB, expected: minRequestsPerPeer },
    { name: 'two seconds of throughput, plus one', bytesPerSecond: MiB, chunkBytes: MiB, expected: 3 },
    { name: 'a part-chunk rounds up', bytesPerSecond: 1.25 * MiB, chunkBytes: MiB, expected: 4 },
    { name: 'smaller chunks, more requests', bytesPerSecond: MiB, chunkBytes: MiB / 4, expected: 9 },
    { name: 'a link too slow to send a chunk in two seconds: one at a time', bytesPerSecond: 2_000, chunkBytes: 64 * 1024, expected: 1 },
    { name: 'just fast enough for one chunk in two seconds: the minimum', bytesPerSecond: 32 * 1024, chunkBytes: 64 * 1024, expected: minRequestsPerPeer },
    { name: 'whole chunks: capped at 12 MiB in flight', bytesPerSecond: 1000 * MiB, chunkBytes: MiB, expected: 12 },
    { name: 'big chunks: still the minimum of two', bytesPerSecond: 1000 * MiB, chunkBytes: 16 * MiB, expected: minRequestsPerPeer },
    { name: 'small chunks: capped at the most requests', bytesPerSecond: 20 * MiB, chunkBytes: 10_000, expected: maxRequestsPerPeer },
  ])('$name', ({ bytesPerSecond, chunkBytes, expected }) => {
    expect(requestDepth(bytesPerSecond, chunkBytes)).toBe(expected);
  });
});
