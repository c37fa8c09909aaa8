import { describe, expect, it } from 'vitest';
import { askClearOnStart, loadDisplayName, loadNotifyDownloads, saveDisplayName, saveNotifyDownloads, takeClearOnStart } from './saved-settings';

/** A Storage-like map. */
function memoryStorage() {
  const values = new Map<string, string>();
  return {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => void values.set(key, value),
    removeItem: (key: string) => void values.delete(key),
  };
}

describe('saved settings', () => {
  it('keeps the display name and the notification choice, off and absent by default', () => {
    const storage = memoryStorage();
    expect([loadDisplayName(storage), loadNotifyDownloads(storage)]).toEqual([null, false]);
    saveDisplayName(storage, 'Ada');
    saveNotifyDownloads(storage, true);
    expect([loadDisplayName(storage), loadNotifyDownloads(storage)]).toEqual(['Ada', true]);
    saveDisplayName(storage, null);
    expect(loadDisplayName(storage)).toBeNull();
  });

  it('deletes on the start page only for the token this tab kept, once', () => {
    const session = memoryStorage();
    expect(takeClearOnStart(session, '')).toBe(false);
    expect(takeClearOnStart(session, '?clear=guessed')).toBe(false); // a link: no token kept here
    const query = askClearOnStart(session, 'token-1');
    expect(takeClearOnStart(session, '?clear=guessed')).toBe(false); // the wrong one uses the kept token up
    expect(takeClearOnStart(session, query)).toBe(false);
    const again = askClearOnStart(session, 'token-2');
    expect(again).toBe('?clear=token-2');
    expect(takeClearOnStart(session, again)).toBe(true);
    expect(takeClearOnStart(session, again)).toBe(false); // a reload does not delete twice
  });
});
