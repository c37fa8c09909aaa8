import { describe, expect, it } from 'vitest';
import { snippetFile, snippetName } from './snippets';

const at = new Date(2026, 11, 1, 9, 5);

describe('text snippets', () => {
  it.each([
    ['Meeting notes\nsecond line', 'Meeting notes.txt'],
    ['  wifi: guest / pass: 1234  ', 'wifi guest pass 1234.txt'],
    ['a'.repeat(100), `${'a'.repeat(40)}.txt`],
    ['日本語のメモ ✓', '日本語のメモ ✓.txt'],
    ['\u0007\u0000', 'Note 09.05.txt'],
    ['\n\n', 'Note 09.05.txt'],
  ])('%j is named %j', (text, name) => {
    expect(snippetName(text, at)).toBe(name);
  });

  it('becomes a text file of exactly the text, and nothing when it is blank', async () => {
    const file = snippetFile('héllo\nwörld', at);
    expect(file?.name).toBe('héllo.txt');
    expect(file?.type).toBe('text/plain;charset=utf-8');
    expect(await file?.text()).toBe('héllo\nwörld');
    expect(snippetFile('  \n ', at)).toBeNull();
  });
});
