// The one place where reason codes from the core become sentences people read (the UI and the
// application layer both word their messages through it).
import { maxDisplayNameChars } from '../core/display-name';
import { maxFilesPerItem, maxPathChars } from '../core/protocol/limits';
import type { Report } from '../core/reports';
import type { SkippedFile } from '../core/share-plan';
import type { ItemNotice } from '../core/swarm/view-types';

const megabytes = (bytes: number): string => `${Math.ceil(bytes / 1e6)} MB`;

/** The Settings panel's sentences (Settings.tsx). */
export const settingsText = {
  nameHint: `Shown next to your peer id to the others in the room, up to ${maxDisplayNameChars} characters. It travels only inside the encrypted signaling: the relay never sees it.`,
  notifyUnsupported: 'This browser cannot show notifications. The tab title still counts the downloads that finish while you look elsewhere.',
  notifyBlocked: 'This browser blocks notifications from this site. Allow them in the site settings (the icon before the address), then tick the box again.',
  transfersInRoom: 'The upload limit and automatic downloads are set above the list of files.',
  transfersOutsideRoom: 'The upload limit and automatic downloads are set above the list of files once you are in a room.',
  clearInRoom: 'This leaves the room first: peers downloading from this tab lose it as a source.',
} as const;

/** What deleting everything kept in this browser freed: `size` is already worded ("12 MB"). */
export function dataClearedText(rooms: number, size: string): string {
  if (rooms === 0) return 'Nothing was kept in this browser, so there was nothing to delete.';
  return `Deleted ${rooms === 1 ? '1 room' : `${rooms.toLocaleString('en-US')} rooms`} and ${size} of stored files from this browser.`;
}

/** The sentence shown with an item that is paused or stopped for `notice`. */
export function noticeText(notice: ItemNotice, itemName: string): string {
  switch (notice.code) {
    case 'storage-full':
      return 'Storage is full: the download is paused. Free some space (for example, delete old rooms) and it resumes.';
    case 'not-enough-storage':
      return `Not enough storage: ${itemName} needs ${megabytes(notice.neededBytes)} more, ${megabytes(Math.max(0, notice.freeBytes))} is free. Free some space (for example, delete old rooms) and it resumes.`;
    case 'store-failed':
      return `Could not store a piece of ${itemName} in this browser (${notice.detail}). Press Resume to try again; if it fails again, reload the page.`;
  }
}

/** Why one picked file was left out, as a clause. */
export function skipText(skipped: Pick<SkippedFile, 'reason' | 'folder' | 'fileCount'>): string {
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
    case 'too-many-files':
      return `it has ${(skipped.fileCount ?? 0).toLocaleString('en')} files, and one shared folder holds at most ${maxFilesPerItem.toLocaleString('en')}: share it in parts (for example, its subfolders)`;
  }
}

/** Files shown in a "left out" sentence before "and N more". */
const listedSkipsMax = 5;

/** The sentence for files a share left out. */
export function skippedFilesText(skipped: readonly SkippedFile[]): string {
  const listed = skipped.slice(0, listedSkipsMax).map((s) => `${s.path} (${skipText(s)})`);
  if (skipped.length > listedSkipsMax) listed.push(`and ${skipped.length - listedSkipsMax} more`);
  const renamable = skipped.some((s) => s.reason !== 'picked-twice' && s.reason !== 'too-many-files');
  return `Left out, because a shared name cannot hold them: ${listed.join('; ')}.${renamable ? ' Rename those and share them again.' : ''}`;
}

/** "2 pieces are missing from this browser's storage and 1 is damaged", in words for any counts. */
function faultyChunksText(missing: number, damaged: number): string {
  const pieces = (n: number): string => (n === 1 ? '1 piece' : `${n.toLocaleString('en-US')} pieces`);
  const be = (n: number): string => (n === 1 ? 'is' : 'are');
  const missingText = `${pieces(missing)} ${be(missing)} missing from this browser's storage`;
  const damagedText = `${pieces(damaged)} ${be(damaged)} unreadable or damaged`;
  if (damaged === 0) return missingText;
  if (missing === 0) return `${damagedText} in this browser's storage`;
  return `${missingText} and ${damaged.toLocaleString('en-US')} ${be(damaged)} unreadable or damaged`;
}

/** The sentence for a report. */
export function reportText(report: Report): string {
  switch (report.code) {
    case 'files-skipped':
      return skippedFilesText(report.skipped);
    case 'share-failed':
      return `Could not share ${report.name} (${report.detail}). Check that the files are still on this device and readable, then choose them again.`;
    case 'save-failed':
      return `Could not save ${report.name} (${report.detail}). Press Save to try again; if it fails again, check that the disk has space and that this site may download files.`;
    case 'save-chunks-faulty':
    {
      const one = report.missing + report.damaged === 1;
      return `Could not save ${report.name}: ${faultyChunksText(report.missing, report.damaged)} (${one ? 'it holds' : 'the first holds'} part of ${report.path}). Swarmdrop is downloading ${one ? 'it' : 'them'} again from the room; save again once the item is complete.`;
    }
    case 'item-unknown':
      return 'That item is no longer in this room. Reload the page to see what the room holds now.';
    case 'join-failed':
      return `Could not join the room (${report.detail}). Reload the page to try again; if it keeps failing, ask for the link again.`;
    case 'link-damaged':
      return 'This room link is incomplete or damaged. Ask for the link again.';
    case 'keep-copy-failed':
      return `Could not keep a copy of ${report.name} in this browser (${report.detail}), so it is shared only while this tab stays open. Keep the tab open until the others have it, or free some storage and share it again.`;
    case 'connection-budget-spent':
      return `This tab holds ${report.count} peer connections, near the browser's limit per tab, so it connects to no new peers for now. Connections already open keep working, and it tries again once the browser has freed closed ones.`;
    case 'room-data-deleted-elsewhere':
      return `Another tab deleted this browser's copy of ${report.items === 1 ? 'an item' : `${report.items} items`} open here. Swarmdrop is fetching ${report.items === 1 ? 'it' : 'them'} again from the room; save once ${report.items === 1 ? 'it is' : 'they are'} complete.`;
    case 'stored-data-missing':
      return `Parts of ${report.name} are no longer in this browser's storage (it may have been cleared). Swarmdrop is fetching them again from the room; save once it is complete.`;
    case 'room-item-limit':
      return `This room has more than ${report.limit.toLocaleString('en')} items; this page shows and fetches the first ${report.limit.toLocaleString('en')}. Ask whoever shares the rest to share them as folders (a folder is one item), or in another room.`;
    case 'signaling-tampered':
      return 'Signaling messages for this room failed authentication: the relay (or someone on the way) is altering them. No connection is made through them; your files stay private. If it goes on, try another network or ask whoever runs this server.';
    case 'signaling-member-forgery':
      return 'Someone in this room sent connection messages in another member’s name. They were refused, as every message must be signed by its sender; your transfers go on.';
    case 'rooms-read-failed':
      return `Could not read your rooms from this browser's storage (${report.detail}). Reload the page to try again; a private window may have storage turned off.`;
    case 'room-delete-failed':
      return `Could not delete ${report.what} (${report.detail}). Reload the page and try again.`;
    case 'shared-files-missing':
      return 'The files shared to Swarmdrop are no longer waiting here: they wait only a few minutes, and open once. Share them again from the other app, or drop them here.';
  }
}

/** Words for passing the room link on (RoomLink.tsx): the share sheet's title and text, and what to do when Copy or Share fails. */
export const shareLinkText = {
  title: 'Swarmdrop room',
  text: 'Open this link to get the files shared in this room, straight from browser to browser.',
  'link-copy-failed': 'Could not copy the link: this browser did not allow it. Select the link and copy it yourself, or let the other person scan the QR code.',
  'link-share-failed': 'Could not open the share sheet. Copy the link and send it yourself, or let the other person scan the QR code.',
} as const;

/** Shown instead of the QR code when there is none: the link is longer than one holds, or the encoder did not load. */
export const roomQrUnavailableText = 'No QR code can be shown for this link here. Copy the link and send it instead.';

/** When the browser could not read what was dropped (DropZone.tsx). */
export function dropReadFailedText(detail: string): string {
  return `Could not read what was dropped (${detail}). Try again with the Choose files or Choose a folder button.`;
}
