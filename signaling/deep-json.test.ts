import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { maxFrameBytes } from './limits.js';
import { parseClientFrame } from './protocol.js';

/** The deepest `[[…]]` that fits one frame: every level costs two bytes. */
const depth = maxFrameBytes / 2;
const nestedArrays = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
const nested = nestedArrays(depth);

/** A stack small enough that a recursive parser would overflow long before `depth`. */
const smallStackKiB = 150;

/** Parses timed per shape; the median is what a flood of such frames costs the event loop. */
const timedRuns = 30;

/**
 * A deep frame may cost this many times a flat frame of the same size with as many arrays, timed in the same
 * run: 7-12× measured on a loaded 2-core box (4-21 ms against 1.8), while a parser that recursed or went
 * quadratic in the depth would take thousands of times longer. A ratio, so the machine's load cancels out.
 */
const maxParseCostOverFlat = 50;

/** A ping of (nearly) one frame holding as many empty arrays side by side as fit: the same work, no depth. */
const flatPing = (() => {
  const head = '{"type":"ping","x":[';
  const count = Math.floor((maxFrameBytes - head.length - 2) / 3);
  return `${head}${Array.from({ length: count }, () => '[]').join(',')}]}`;
})();

/** In a fresh node with a tiny stack: how deep plain recursion gets, and whether JSON.parse copes. */
const probe = `
let recursion = 0;
const recurse = () => { recursion += 1; recurse(); };
try { recurse(); } catch (error) { if (!(error instanceof RangeError)) throw error; }
const n = ${depth};
let level = 0;
for (let v = JSON.parse('['.repeat(n) + ']'.repeat(n)); Array.isArray(v); v = v[0]) level += 1;
process.stdout.write(JSON.stringify({ recursion, level }));
`;

function medianMs(parse: () => unknown): { readonly median: number; readonly max: number } {
  const times: number[] = [];
  for (let run = 0; run < timedRuns; run += 1) {
    const start = performance.now();
    parse();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: times[timedRuns >> 1] ?? Number.NaN, max: times.at(-1) ?? Number.NaN };
}

describe('deeply nested JSON frames', () => {
  it.each([
    { name: `${depth} nested arrays (exactly one frame)`, text: nested, error: 'bad-frame' },
    { name: `${maxFrameBytes} unclosed brackets`, text: '['.repeat(maxFrameBytes), error: 'bad-json' },
    { name: 'a ping carrying deep nesting', text: `{"type":"ping","x":${nestedArrays(depth - 10)}}`, error: undefined },
  ])('$name: parsed without throwing, quickly', ({ text, error }) => {
    const raw = Buffer.from(text);
    expect(raw.length).toBeLessThanOrEqual(maxFrameBytes);
    const result = parseClientFrame(raw, false);
    expect(result).toEqual(error === undefined ? { type: 'ping' } : expect.objectContaining({ error }));
    const flat = Buffer.from(flatPing);
    expect(parseClientFrame(flat, false)).toEqual({ type: 'ping' });
    const { median, max } = medianMs(() => parseClientFrame(raw, false));
    const flatMedian = medianMs(() => parseClientFrame(flat, false)).median;
    console.log(JSON.stringify({ deepJson: text.slice(0, 12), bytes: raw.length, medianMs: median.toFixed(2), maxMs: max.toFixed(2), flatMedianMs: flatMedian.toFixed(2) }));
    expect(median).toBeLessThan(maxParseCostOverFlat * flatMedian);
  });

  it('V8 parses nesting iteratively: 32,768 levels on a stack where recursion stops far sooner', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [`--stack-size=${smallStackKiB}`, '-e', probe]);
    const { recursion, level } = JSON.parse(stdout) as { recursion: number; level: number };
    console.log(JSON.stringify({ deepJsonStack: { stackKiB: smallStackKiB, plainRecursionDepth: recursion, parsedDepth: level } }));
    expect(recursion).toBeLessThan(depth / 4);
    expect(level).toBe(depth);
  });
});
