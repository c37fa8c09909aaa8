// Files shared to Swarmdrop from another app (the installed app's share target): the worker keeps
// them and loads the page at `/?share=<id>`. The page takes them once, clears the id from the address,
// and shares them exactly as a drop would: a new room holding them.
import { errorMessage } from '../core/errors';
import { shareIdParam } from '../sw/share-inbox';
import type { Session } from './session';

/** Where the shared files wait (the worker's share inbox in main.tsx; a fake in tests). */
export interface SharedFilesSource {
  /** The files kept under `id`, no longer kept after this; null when there are none. */
  take(id: string): Promise<File[] | null>;
}

/** The address bar, as the pickup needs it. */
export interface ShareAddress {
  href(): string;
  /** Replaces the address without loading (history.replaceState). */
  replace(pathAndMore: string): void;
}

/** What the pickup drives. */
export type SharingSession = Pick<Session, 'shareFiles' | 'reportError'>;

/** The share id in an address, or null when it carries none. */
export function sharedFilesId(href: string): string | null {
  return new URL(href).searchParams.get(shareIdParam);
}

/** The address without the share id: path, the other parameters and the fragment. */
export function withoutSharedFilesId(href: string): string {
  const url = new URL(href);
  url.searchParams.delete(shareIdParam);
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * Shares the files the address points to, if it points to any. The id leaves the address first, so a
 * reload or a copied link never asks for them again. Files no longer there, or a failure, get a sentence;
 * this never rejects.
 */
export async function takeSharedFiles(address: ShareAddress, source: SharedFilesSource, session: SharingSession): Promise<void> {
  const id = sharedFilesId(address.href());
  if (id === null) return;
  address.replace(withoutSharedFilesId(address.href()));
  try {
    const files = await source.take(id);
    if (files === null) return session.reportError({ code: 'shared-files-missing' });
    await session.shareFiles(files);
  } catch (error) {
    session.reportError({ code: 'share-failed', name: 'the shared files', detail: errorMessage(error) });
  }
}
