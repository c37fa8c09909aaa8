import { describe, expect, it } from 'vitest';
import { fitCapToFiles, openFilesLimit, reservedFiles } from './file-limit.js';

const limitsText = (soft: string) =>
  'Limit                     Soft Limit           Hard Limit           Units     \n' +
  'Max processes             95470                95470                processes \n' +
  `Max open files            ${soft}                20000                files     \n`;

describe('the socket cap and the open-files limit', () => {
  it('reads the soft limit from /proc/self/limits, and nothing from elsewhere', () => {
    expect(openFilesLimit(() => limitsText('1024'))).toBe(1024);
    expect(openFilesLimit(() => limitsText('unlimited'))).toBeNull();
    expect(openFilesLimit(() => 'something else')).toBeNull();
    expect(
      openFilesLimit(() => {
        throw new Error('ENOENT');
      }),
    ).toBeNull();
  });

  it('keeps a cap that fits, lowers a default that does not, and warns about one set too high', () => {
    expect(fitCapToFiles(10_000, false, 20_000)).toEqual({ maxConnections: 10_000, notice: null });
    expect(fitCapToFiles(10_000, false, null)).toEqual({ maxConnections: 10_000, notice: null });
    const lowered = fitCapToFiles(10_000, false, 1024);
    expect(lowered.maxConnections).toBe(1024 - reservedFiles);
    expect(lowered.notice).toMatch(/capped at 768 sockets: this process may open only 1024 files/);
    const kept = fitCapToFiles(50_000, true, 20_000);
    expect(kept.maxConnections).toBe(50_000);
    expect(kept.notice).toMatch(/MAX_CONNECTIONS is 50000, but this process may open only 20000 files/);
  });
});
