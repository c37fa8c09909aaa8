// Reads a drop: loose files as they are, and each dropped folder walked to all its files. A file from a
// folder carries its path inside the drop (e.g. "trip/photos/a.jpg") as `webkitRelativePath`, exactly as
// the folder picker gives it, so the rest of the app reads one field for both.
import { errorMessage } from '../core/errors';
import { maxFilesPerItem } from '../core/protocol/limits';

/** What a drop held: the files, and what could not be read (shown to the person). */
export interface DroppedFiles {
  readonly files: File[];
  readonly problems: string[];
}

/**
 * The entries of a drop. Must be called during the drop event (the browser empties the DataTransfer
 * after it). Null when the browser gives no entries, and the plain file list is all there is.
 */
export function droppedEntries(transfer: DataTransfer): FileSystemEntry[] | null {
  const entries: FileSystemEntry[] = [];
  for (const item of transfer.items) {
    if (item.kind !== 'file') continue;
    const entry = typeof item.webkitGetAsEntry === 'function' ? item.webkitGetAsEntry() : null;
    if (!entry) return null;
    entries.push(entry);
  }
  return entries;
}

const isFile = (entry: FileSystemEntry): entry is FileSystemFileEntry => entry.isFile;
const isDirectory = (entry: FileSystemEntry): entry is FileSystemDirectoryEntry => entry.isDirectory;

/** An entry's path inside the drop, e.g. "trip/photos/a.jpg". */
const pathOf = (entry: FileSystemEntry): string => entry.fullPath.replace(/^\/+/, '');

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

/** All entries of a directory: readEntries hands them out in batches (100 in Chromium) until an empty one. */
async function childrenOf(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const all: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

/**
 * HACK: a File from FileSystemFileEntry.file() has an empty, read-only `webkitRelativePath`; an own
 * property shadows the prototype's getter and gives it the path the folder picker would have given.
 */
function withRelativePath(file: File, path: string): File {
  Object.defineProperty(file, 'webkitRelativePath', { value: path, enumerable: true });
  return file;
}

/**
 * Walks a drop's entries to its files; an unreadable file or folder is reported and the rest still read.
 * A folder found to hold more files than one item can (`maxFilesPerItem`) is left out as soon as the
 * walk has seen that many, without reading the rest of its tree.
 */
export async function readDropped(entries: readonly FileSystemEntry[]): Promise<DroppedFiles> {
  const files: File[] = [];
  const problems: string[] = [];
  for (const top of entries) {
    if (isFile(top)) {
      try {
        files.push(await fileOf(top));
      } catch (error) {
        problems.push(`Could not read ${top.name}: ${errorMessage(error)}`);
      }
      continue;
    }
    if (!isDirectory(top)) continue;
    // First the folders are listed, counting files; only a folder within the limit has its files opened.
    const fileEntries: FileSystemFileEntry[] = [];
    const pending: FileSystemDirectoryEntry[] = [top];
    for (let folder = pending.pop(); folder && fileEntries.length <= maxFilesPerItem; folder = pending.pop()) {
      try {
        for (const child of await childrenOf(folder)) {
          if (isDirectory(child)) pending.push(child);
          else if (isFile(child)) fileEntries.push(child);
        }
      } catch (error) {
        problems.push(`Could not read ${pathOf(folder)}: ${errorMessage(error)}`);
      }
    }
    if (fileEntries.length > maxFilesPerItem) {
      const limit = maxFilesPerItem.toLocaleString('en-US');
      problems.push(`Left out the folder ${top.name}: it has more than ${limit} files, and one shared folder holds at most ${limit}. Share it in parts (for example, its subfolders).`);
      continue;
    }
    const before = files.length;
    for (const entry of fileEntries) {
      try {
        files.push(withRelativePath(await fileOf(entry), pathOf(entry)));
      } catch (error) {
        problems.push(`Could not read ${pathOf(entry)}: ${errorMessage(error)}`);
      }
    }
    if (files.length === before) problems.push(`The folder ${top.name} has no files to share.`);
  }
  return { files, problems };
}
