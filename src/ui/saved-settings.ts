// The person's settings kept in localStorage between visits: auto-download and the upload limit.

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
