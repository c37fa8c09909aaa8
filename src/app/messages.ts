// The one place where reason codes from the core become sentences people read (the UI and the
// application layer both word their messages through it).
import { maxPathChars } from '../core/protocol/limits';
import type { SkippedFile } from '../core/share-plan';
import type { ItemNotice } from '../core/swarm/view-types';

const megabytes = (bytes: number): string => `${Math.ceil(bytes / 1e6)} MB`;

/** The sentence shown with an item that is paused or stopped for `notice`. */
export function noticeText(notice: ItemNotice, itemName: string): string {
  switch (notice.code) {
    case 'storage-full':
      return 'Storage is full: the download is paused. Free some space (for example, delete old rooms) and it resumes.';
    case 'not-enough-storage':
      return `Not enough storage: ${itemName} needs ${megabytes(notice.neededBytes)} more, ${megabytes(Math.max(0, notice.freeBytes))} is free. Free some space (for example, delete old rooms) and it resumes.`;
    case 'store-failed':
      return `Could not store a chunk: ${notice.detail}`;
  }
}

/** Why one picked file was left out, as a clause. */
export function skipText(skipped: Pick<SkippedFile, 'reason' | 'folder'>): string {
  const subject = skipped.folder ? "the folder's name" : 'the name';
  switch (skipped.reason) {
    case 'empty':
      return `${subject} is empty`;
    case 'too-long':
      return `${skipped.folder ? "the folder's path" : 'the path'} is longer than ${maxPathChars} characters`;
    case 'backslash':
      return `${subject} contains a backslash (\\)`;
    case 'nul':
      return `${subject} contains a NUL character`;
    case 'bad-part':
      return `${skipped.folder ? "the folder's path" : 'the path'} has an empty, '.' or '..' part`;
    case 'picked-twice':
      return 'it was picked twice';
  }
}

/** Files shown in a "left out" sentence before "and N more". */
const listedSkipsMax = 5;

/** The sentence for files a share left out. */
export function skippedFilesText(skipped: readonly SkippedFile[]): string {
  const listed = skipped.slice(0, listedSkipsMax).map((s) => `${s.path} (${skipText(s)})`);
  if (skipped.length > listedSkipsMax) listed.push(`and ${skipped.length - listedSkipsMax} more`);
  return `Left out, because a shared name cannot hold them: ${listed.join('; ')}.`;
}
