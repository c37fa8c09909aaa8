import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrPathData, qrViewSize, quietZoneModules, type QrModules } from './qr-path';

/** Modules from rows of '#' (dark) and '.' (light). */
const fromRows = (rows: readonly string[]): QrModules => ({
  size: rows.length,
  isDark: (row, col) => rows[row]?.[col] === '#',
});

/** The dark modules a path draws, as "row,col" keys, read back from its run commands. */
const drawnModules = (path: string): Set<string> => {
  const drawn = new Set<string>();
  for (const [, x, y, width] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(width); i++) drawn.add(`${Number(y) - quietZoneModules},${Number(x) - quietZoneModules + i}`);
  }
  return drawn;
};

describe('the QR path', () => {
  it('draws one rectangle per run of dark modules, offset by the quiet zone', () => {
    expect(qrPathData(fromRows(['##.#', '....', '.###', '####']))).toBe('M4 4h2v1h-2zM7 4h1v1h-1zM5 6h3v1h-3zM4 7h4v1h-4z');
    expect(qrViewSize({ size: 21 })).toBe(29);
  });

  it('draws nothing for a blank symbol', () => {
    expect(qrPathData(fromRows(['...', '...', '...']))).toBe('');
  });

  it('draws exactly the dark modules of a real room link', () => {
    const { modules } = create('https://drop.example.org/#AbCdEfGhIjKlMnOpQrStUv', { errorCorrectionLevel: 'M' });
    const qr: QrModules = { size: modules.size, isDark: (row, col) => modules.get(row, col) !== 0 };
    const expected = new Set<string>();
    for (let row = 0; row < modules.size; row++) for (let col = 0; col < modules.size; col++) if (qr.isDark(row, col)) expected.add(`${row},${col}`);
    expect(expected.size).toBeGreaterThan(100);
    expect(drawnModules(qrPathData(qr))).toEqual(expected);
  });
});
