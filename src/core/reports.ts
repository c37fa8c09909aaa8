// What goes wrong that the person must hear of, as codes with their facts. The sentences are made in
// one place, src/app/messages.ts; nothing below the UI words them.
import type { SkippedFile } from './share-plan';

/** One thing to tell the person. */
export type Report =
  /** Picked files a share had to leave out, and why. */
  | { readonly code: 'files-skipped'; readonly skipped: readonly SkippedFile[] }
  | { readonly code: 'share-failed'; readonly name: string; readonly detail: string }
  | { readonly code: 'save-failed'; readonly name: string; readonly detail: string }
  /**
   * A save found stored chunks missing (`missing`) or unreadable or damaged (`damaged`); `path` is a
   * file they hold part of. The item downloads them again.
   */
  | { readonly code: 'save-chunks-faulty'; readonly name: string; readonly missing: number; readonly damaged: number; readonly path: string }
  /** Save was asked for an item this page does not know. */
  | { readonly code: 'item-unknown' }
  | { readonly code: 'join-failed'; readonly detail: string }
  /** The address's fragment is not a whole room secret. */
  | { readonly code: 'link-damaged' }
  /** A shared item's copy into this browser's storage failed: it is served only while the tab stays open. */
  | { readonly code: 'keep-copy-failed'; readonly name: string; readonly detail: string }
  /** Another tab of this browser deleted stored data of `items` items open here: they are fetched again. */
  | { readonly code: 'room-data-deleted-elsewhere'; readonly items: number }
  /** Storage lost chunks of an item held here (cleared by the browser?): they are fetched again. */
  | { readonly code: 'stored-data-missing'; readonly name: string }
  /** The room reached the items this page takes from a room: more announced ones are not fetched. */
  | { readonly code: 'room-item-limit'; readonly limit: number }
  /** The tab holds `count` RTCPeerConnections, near the browser's per-tab limit, and pauses connecting. */
  | { readonly code: 'connection-budget-spent'; readonly count: number }
  /** Signaling for us failed authentication: someone on the way alters envelopes. */
  | { readonly code: 'signaling-tampered' }
  /** A room member sent signaling in another member's name (refused by its signature). */
  | { readonly code: 'signaling-member-forgery' }
  | { readonly code: 'rooms-read-failed'; readonly detail: string }
  | { readonly code: 'room-delete-failed'; readonly what: string; readonly detail: string }
  /** The page was opened for files shared from another app, but they are no longer waiting (taken, expired, or none). */
  | { readonly code: 'shared-files-missing' };
