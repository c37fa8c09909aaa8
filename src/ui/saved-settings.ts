// The person's settings kept in localStorage between visits: auto-download, the upload limit, the
// name shown to the room, and whether to be told when a download finishes.

/** localStorage key of the auto-download setting (on unless the person turned it off). */
export const autoDownloadKey = 'swarmdrop.autoDownload';

/** localStorage key of the upload limit in bytes per second (absent: no limit). */
export const uploadLimitKey = 'swarmdrop.uploadLimit';

/** The settings as the engine takes them. */
export interface SavedSettings {
  readonly autoDownload: boolean;
  readonly uploadLimit: number | null;
}

/** Reads the saved settings; a missing or malformed upload limit means none. */
export function loadSettings(storage: Pick<Storage, 'getItem'>): SavedSettings {
  const limit = Number(storage.getItem(uploadLimitKey));
  return {
    autoDownload: storage.getItem(autoDownloadKey) !== 'false',
    uploadLimit: Number.isFinite(limit) && limit > 0 ? limit : null,
  };
}

/** Remembers the auto-download setting. */
export function saveAutoDownload(storage: Pick<Storage, 'setItem'>, on: boolean): void {
  storage.setItem(autoDownloadKey, String(on));
}

/** Remembers the upload limit (null: none). */
export function saveUploadLimit(storage: Pick<Storage, 'setItem' | 'removeItem'>, bytesPerSecond: number | null): void {
  if (bytesPerSecond === null) storage.removeItem(uploadLimitKey);
  else storage.setItem(uploadLimitKey, String(bytesPerSecond));
}

/** localStorage key of the name shown to the others in a room (absent: none). */
export const displayNameKey = 'swarmdrop.displayName';

/** Reads the stored display name as stored; the names store cleans it before use. */
export function loadDisplayName(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(displayNameKey);
}

/** Remembers the display name (null: none). */
export function saveDisplayName(storage: Pick<Storage, 'setItem' | 'removeItem'>, name: string | null): void {
  if (name === null) storage.removeItem(displayNameKey);
  else storage.setItem(displayNameKey, name);
}

/** localStorage key of "notify me when a download finishes" (off unless the person turned it on from a click). */
export const notifyDownloadsKey = 'swarmdrop.notifyDownloads';

/** Whether the person asked to be notified when a download finishes. */
export function loadNotifyDownloads(storage: Pick<Storage, 'getItem'>): boolean {
  return storage.getItem(notifyDownloadsKey) === 'true';
}

/** Remembers whether to notify when a download finishes. */
export function saveNotifyDownloads(storage: Pick<Storage, 'setItem'>, on: boolean): void {
  storage.setItem(notifyDownloadsKey, String(on));
}

/**
 * sessionStorage key of a one-time token: a room tab that is to delete everything goes to the start
 * page first (leaving the room) with the token in its address, and that page deletes only if the two
 * match. A link cannot do it (it cannot know the token), and a leave the person cancelled leaves an
 * unused token behind, not a pending delete.
 */
export const clearOnStartKey = 'swarmdrop.clearOnStart';

/** The address query parameter that carries the token. */
export const clearOnStartParam = 'clear';

/** Keeps `token` for the start page this tab opens next; returns the address query to open it with. */
export function askClearOnStart(storage: Pick<Storage, 'setItem'>, token: string): string {
  storage.setItem(clearOnStartKey, token);
  return `?${clearOnStartParam}=${encodeURIComponent(token)}`;
}

/** Whether the address carries this tab's token (`search` is `location.search`); the token is used up. */
export function takeClearOnStart(storage: Pick<Storage, 'getItem' | 'removeItem'>, search: string): boolean {
  const given = new URLSearchParams(search).get(clearOnStartParam);
  if (given === null) return false;
  const kept = storage.getItem(clearOnStartKey);
  storage.removeItem(clearOnStartKey);
  return kept !== null && kept === given;
}
