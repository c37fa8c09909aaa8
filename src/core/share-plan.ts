// Turns what a person dropped or picked into items: each top-level folder becomes one item holding its
// whole tree (paths relative to the folder, in a fixed order), and each loose file is an item of its own.
// Files whose path a manifest cannot hold are left out, with the reason, for the caller to report.
import { pathProblem, type PathProblem } from './manifest';
import { maxFilesPerItem } from './protocol/limits';

/** What planning needs of a File: its name, and its path inside a picked or dropped folder ('' for a loose file). */
export interface PickedFile {
  readonly name: string;
  readonly webkitRelativePath: string;
}

/** One file of a folder item: its path relative to the folder ('/' between sub-folders). */
export interface FolderFile<T> {
  readonly path: string;
  readonly file: T;
}

/** One item to share. */
export type SharePlan<T> =
  | { readonly kind: 'file'; readonly name: string; readonly file: T }
  | { readonly kind: 'folder'; readonly name: string; readonly files: readonly FolderFile<T>[] };

/** Why a picked file is left out: its path, its folder's name (`folder: true`), or a duplicate. */
export type SkipReason = PathProblem | 'picked-twice' | 'too-many-files';

/** A file left out, with its full picked path and why (src/app/messages.ts words it). */
export interface SkippedFile {
  readonly path: string;
  readonly reason: SkipReason;
  /** The problem is the folder's name (or size), not the file's. */
  readonly folder: boolean;
  /** For 'too-many-files': how many files the folder has. */
  readonly fileCount?: number;
}

/** Code-unit order: the same folder gives the same manifest (and item id) whatever order the browser listed it in. */
const byPath = (a: FolderFile<unknown>, b: FolderFile<unknown>): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** Groups picked files into items. */
export function planShares<T extends PickedFile>(picked: readonly T[]): { shares: SharePlan<T>[]; skipped: SkippedFile[] } {
  const shares: SharePlan<T>[] = [];
  const skipped: SkippedFile[] = [];
  const folders = new Map<string, FolderFile<T>[]>();
  for (const file of picked) {
    const relative = file.webkitRelativePath.replace(/^\/+/, '');
    const slash = relative.indexOf('/');
    if (slash < 0) {
      const problem = pathProblem(file.name);
      if (problem) skipped.push({ path: file.name, reason: problem, folder: false });
      else shares.push({ kind: 'file', name: file.name, file });
      continue;
    }
    const folder = relative.slice(0, slash);
    const files = folders.get(folder) ?? [];
    files.push({ path: relative.slice(slash + 1), file });
    folders.set(folder, files);
  }
  for (const [name, files] of folders) {
    // One item's manifest holds at most maxFilesPerItem files: refused before anything is hashed.
    if (files.length > maxFilesPerItem) {
      skipped.push({ path: `${name}/`, reason: 'too-many-files', folder: true, fileCount: files.length });
      continue;
    }
    const folderProblem = pathProblem(name);
    if (folderProblem) {
      skipped.push({ path: `${name}/`, reason: folderProblem, folder: true });
      continue;
    }
    const kept: FolderFile<T>[] = [];
    const seen = new Set<string>();
    for (const entry of files) {
      const problem = pathProblem(entry.path) ?? (seen.has(entry.path) ? 'picked-twice' : null);
      if (problem) skipped.push({ path: `${name}/${entry.path}`, reason: problem, folder: false });
      else kept.push(entry);
      seen.add(entry.path);
    }
    if (kept.length > 0) shares.push({ kind: 'folder', name, files: kept.sort(byPath) });
  }
  return { shares, skipped };
}

/**
 * Whether an item is a folder (shown with its file list, saved as one ZIP): anything but a single file
 * stored under the item's own name, which is how a loose file is shared.
 */
export function isFolderItem(name: string, files: readonly { readonly path: string }[]): boolean {
  return files.length !== 1 || files[0]?.path !== name;
}
