// The one place where reason codes from the core become sentences people read.
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
