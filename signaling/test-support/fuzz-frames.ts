// Test-only: deterministic hostile frames for the relay fuzz test. Same seed, same frames.
import { maxFrameBytes } from '../limits.js';
import { createPrng, type Prng } from './prng.js';

/** What the frame tries; the test counts frames per kind. */
export type FuzzKind =
  | 'malformed-json'
  | 'deep-nesting'
  | 'deep-nesting-oversized'
  | 'binary'
  | 'oversized'
  | 'unknown-type'
  | 'huge-number'
  | 'wrong-types'
  | 'long-string'
  | 'prototype-keys'
  | 'random-bytes-as-text'
  | 'random-text'
  | 'odd-but-valid';

/** One frame to send: text frames may still carry invalid UTF-8 (a Buffer with `binary: false`). */
export interface FuzzFrame {
  readonly kind: FuzzKind;
  readonly payload: string | Buffer;
  readonly binary: boolean;
}

/** Topics the abusers use; never the bystanders' room. Two are prototype names on purpose. */
const fuzzTopics = ['fuzz-a', 'fuzz-b', 'fuzz-c', '__proto__', 'constructor', 'hasOwnProperty'] as const;

/** The deepest `[[…]]` that still fits one frame: 32,768 levels in exactly `maxFrameBytes` bytes. */
const maxDepthInFrame = maxFrameBytes / 2;

/** 100,000 levels: the brief's depth, necessarily over the frame limit (ws must refuse it unread). */
const oversizedDepth = 100_000;

const text = (value: unknown): string => JSON.stringify(value);
const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

type Generator = (prng: Prng) => Omit<FuzzFrame, 'kind'>;

const asText = (payload: string | Buffer): Omit<FuzzFrame, 'kind'> => ({ payload, binary: false });

/** Each kind with its weight (relative frequency) and how to make one. Heavy kinds are rare. */
const generators: readonly (readonly [FuzzKind, number, Generator])[] = [
  [
    'malformed-json',
    12,
    (p) => {
      const valid = text({ type: 'publish', topic: p.pick(fuzzTopics), data: 'x'.repeat(p.int(0, 64)) });
      const broken = ['{', '}', '[1,2', '{"type":"ping",}', "{'type':'ping'}", '{"type":"ping"}}', 'NaN', 'undefined', '', ' '];
      return asText(p.next() < 0.5 ? p.pick(broken) : valid.slice(0, p.int(0, valid.length - 1)));
    },
  ],
  [
    'deep-nesting',
    4,
    (p) => {
      const depth = p.int(1_000, maxDepthInFrame);
      const body = p.pick([nested(depth), '['.repeat(depth * 2), `{"type":"ping","x":${nested(depth - 10)}}`]);
      return asText(body);
    },
  ],
  ['deep-nesting-oversized', 0.5, () => asText(nested(oversizedDepth))],
  ['binary', 6, (p) => ({ payload: p.bytes(p.int(1, 2_048)), binary: true })],
  ['oversized', 1, (p) => asText(text({ type: 'publish', topic: 'fuzz-a', data: 'x'.repeat(p.int(maxFrameBytes, 4 * maxFrameBytes)) }))],
  [
    'unknown-type',
    8,
    (p) => asText(text({ type: p.pick(['PING', 'subscribe ', 'toString', 'valueOf', '__proto__', 'message', 'error', p.bytes(8).toString('hex')]) })),
  ],
  [
    'huge-number',
    6,
    (p) =>
      asText(
        p.pick([
          '{"type":"publish","topic":"fuzz-a","data":1e308}',
          '{"type":1e308}',
          '{"type":"subscribe","topic":-0}',
          '{"type":"publish","topic":"fuzz-a","data":-1e999}',
          `{"type":"ping","n":${'9'.repeat(p.int(400, 20_000))}}`,
          text({ type: 'subscribe', topic: p.pick(['NaN', 'Infinity', '-0', '1e308']) }),
          text({ type: 'publish', topic: 'fuzz-b', data: p.pick(['NaN', '-Infinity', '-0']) }),
        ]),
      ),
  ],
  [
    'wrong-types',
    10,
    (p) => {
      const odd = p.pick<unknown>([null, true, 0, -1, [], {}, ['fuzz-a'], { topic: 'fuzz-a' }, 'fuzz-a']);
      return asText(
        text(
          p.pick([
            { type: odd },
            { type: 'subscribe', topic: odd },
            { type: 'publish', topic: 'fuzz-a', data: odd },
            { type: 'publish', topic: odd, data: 'x' },
            [{ type: 'ping' }],
          ]),
        ),
      );
    },
  ],
  [
    'long-string',
    4,
    (p) => {
      const long = 'a'.repeat(p.int(129, maxFrameBytes - 64));
      return asText(text(p.pick([{ type: 'subscribe', topic: long }, { type: long }, { type: 'publish', topic: 'fuzz-c', data: long }])));
    },
  ],
  [
    'prototype-keys',
    8,
    (p) =>
      asText(
        p.pick([
          '{"__proto__":{"type":"ping"}}',
          '{"type":"ping","__proto__":{"polluted":true}}',
          '{"constructor":{"prototype":{"polluted":true}},"type":"ping"}',
          `{"type":"subscribe","topic":"${p.pick(fuzzTopics)}","__proto__":{"topic":"calm"}}`,
          `{"type":"publish","topic":"${p.pick(fuzzTopics)}","data":"x","__proto__":{"polluted":true}}`,
          '{"type":"leave","topic":"__proto__"}',
        ]),
      ),
  ],
  ['random-bytes-as-text', 2, (p) => asText(p.bytes(p.int(1, 4_096)))],
  ['random-text', 6, (p) => asText(Array.from({ length: p.int(1, 256) }, () => String.fromCharCode(p.int(32, 126))).join(''))],
  [
    'odd-but-valid',
    6,
    (p) =>
      asText(
        text(
          p.pick([
            { type: 'ping' },
            { type: 'subscribe', topic: `${p.pick(fuzzTopics)}-${p.int(0, 20)}` },
            { type: 'publish', topic: p.pick(fuzzTopics), data: p.bytes(32).toString('base64') },
            { type: 'leave', topic: p.pick(fuzzTopics) },
          ]),
        ),
      ),
  ],
];

const totalWeight = generators.reduce((sum, [, weight]) => sum + weight, 0);

/** An endless deterministic stream of hostile frames. */
export function createFuzzFrames(seed: number): () => FuzzFrame {
  const prng = createPrng(seed);
  return () => {
    let roll = prng.next() * totalWeight;
    for (const [kind, weight, generate] of generators) {
      roll -= weight;
      if (roll < 0) return { kind, ...generate(prng) };
    }
    const [kind, , generate] = generators[0] as (typeof generators)[number];
    return { kind, ...generate(prng) };
  };
}
