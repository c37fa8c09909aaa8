import { describe, expect, it } from 'vitest';
import { cleanDisplayName, maxDisplayNameChars, parseDisplayName } from './display-name';

describe('a name the person types', () => {
  it.each([
    ['Ada', 'Ada', 'kept as typed'],
    ['   Ada  Lovelace \n', 'Ada Lovelace', 'trimmed, inner runs of spaces become one'],
    ['Ada\u0000\u0007Lovelace', 'Ada Lovelace', 'control characters go'],
    ['evil\u202Etxt.exe', 'evil txt.exe', 'a right-to-left override goes'],
    ['\u2066Ada\u2069', 'Ada', 'isolates go'],
    ['Zoë 日本 ✓', 'Zoë 日本 ✓', 'letters of any script stay'],
    ['', null, 'empty is no name'],
    [' \t\u0001 ', null, 'nothing left is no name'],
  ] satisfies [string, string | null, string][])('%j becomes %j: %s', (typed, expected, _why) => {
    expect(cleanDisplayName(typed)).toBe(expected);
  });

  it(`is cut to ${maxDisplayNameChars} characters, counting an emoji as one and never halving it`, () => {
    const long = '🐝'.repeat(100);
    const cut = cleanDisplayName(long);
    expect(cut).toBe('🐝'.repeat(maxDisplayNameChars));
    expect(cleanDisplayName(`${'a'.repeat(maxDisplayNameChars - 1)} tail`)).toBe('a'.repeat(maxDisplayNameChars - 1));
  });
});

describe("a peer's name", () => {
  it.each([
    ['Ada', 'Ada'],
    [' Ada ', 'Ada'],
    ['a'.repeat(maxDisplayNameChars), 'a'.repeat(maxDisplayNameChars)],
    ['🐝'.repeat(maxDisplayNameChars), '🐝'.repeat(maxDisplayNameChars)],
    ['Ada\u202ELovelace', 'Ada Lovelace'],
  ])('%j is shown as %j', (sent, shown) => {
    expect(parseDisplayName(sent)).toBe(shown);
  });

  it.each([
    ['too long', 'a'.repeat(maxDisplayNameChars + 1)],
    ['a megabyte', 'x'.repeat(1 << 20)],
    ['empty', ''],
    ['only controls', '\u0000\u0001'],
    ['a number', 42],
    ['an object', { toString: () => 'Ada' }],
    ['an array', ['Ada']],
    ['null', null],
  ])('%s is ignored', (_why, sent) => {
    expect(parseDisplayName(sent)).toBeNull();
  });
});
