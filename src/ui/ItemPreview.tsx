// A look inside an item without saving it: an image, the text (with Copy), or a player for audio and
// video. Media plays while it downloads when the service worker can answer range requests from the
// stored chunks (`/stream/…`); otherwise once complete, from a Blob of them.
import { useEffect, useState } from 'react';
import type { ItemView } from '../core/swarm/view-types';
import type { FileRange, ReadOptions } from '../app/file-ranges';
import { itemKind } from './item-kind';
import './preview.css';

/** Reads bytes [start, end) of one file of an item (see app/file-ranges.ts). */
export type ReadFile = (itemId: string, fileIndex: number, start: number, end: number, options: ReadOptions) => Promise<FileRange>;

/** Largest image shown inline: a photo, not a disk image; bigger ones are saved to be seen. */
export const maxImagePreviewBytes = 50 * 1024 * 1024;

/** Text shown inline at most: a note or a page of code; longer texts show their beginning. */
export const maxTextPreviewBytes = 64 * 1024;

/** Props: the item, how to read its bytes, and where its media streams from (null: no streaming here). */
export interface ItemPreviewProps {
  readonly item: ItemView;
  readonly readFile: ReadFile;
  readonly streamUrl: (itemId: string, fileIndex: number) => string | null;
}

/** The kind of preview an item gets, or null: one file of a kind a browser can show. */
export function previewKind(item: ItemView): 'image' | 'text' | 'audio' | 'video' | null {
  const [file] = item.files;
  if (item.files.length !== 1 || !file) return null;
  const kind = itemKind(file.path, file.type, false);
  if (kind === 'image' && file.size > maxImagePreviewBytes) return null;
  return kind === 'image' || kind === 'text' || kind === 'audio' || kind === 'video' ? kind : null;
}

/** An object URL of the whole file once the item is complete, revoked when no longer shown. */
function useCompleteFileUrl(item: ItemView, readFile: ReadFile, wanted: boolean): string | null {
  const [url, setUrl] = useState<string | null>(null);
  const ready = wanted && item.status === 'complete';
  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    let made: string | null = null;
    readFile(item.itemId, 0, 0, Infinity, { maxBytes: Number.MAX_SAFE_INTEGER }).then(
      (range) => {
        if (cancelled) return;
        made = URL.createObjectURL(range.blob);
        setUrl(made);
      },
      () => undefined, // the row's Save reports storage faults; a preview just stays empty
    );
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
      setUrl(null);
    };
  }, [ready, item.itemId, readFile]);
  return url;
}

function TextPreview({ item, readFile }: Pick<ItemPreviewProps, 'item' | 'readFile'>) {
  const [text, setText] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const complete = item.status === 'complete';
  useEffect(() => {
    if (!complete) return;
    let cancelled = false;
    readFile(item.itemId, 0, 0, maxTextPreviewBytes, { maxBytes: maxTextPreviewBytes }).then(
      async (range) => !cancelled && setText(new TextDecoder().decode(await range.blob.arrayBuffer())),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [complete, item.itemId, readFile]);
  if (text === null) return null;
  const cut = item.totalBytes > maxTextPreviewBytes;
  const copy = () => void navigator.clipboard.writeText(text).then(() => setCopied(true), () => setCopied(false));
  return (
    <div className="preview preview--text" data-testid="item-preview" data-kind="text">
      <pre className="preview__text" tabIndex={0} aria-label={`Text of ${item.name}`}>
        {text}
      </pre>
      <button type="button" className="button button--quiet" data-testid="preview-copy" onClick={copy}>
        {copied ? 'Copied' : cut ? 'Copy the part shown' : 'Copy text'}
      </button>
    </div>
  );
}

/** Renders again when a service worker takes control of the page (on the first visit, a moment after load). */
function useWorkerControl(): void {
  const [, setControlChanges] = useState(0);
  useEffect(() => {
    const container = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
    if (!container) return;
    const changed = (): void => setControlChanges((count) => count + 1);
    container.addEventListener('controllerchange', changed);
    return () => container.removeEventListener('controllerchange', changed);
  }, []);
}

function MediaPreview({ item, readFile, streamUrl, kind }: ItemPreviewProps & { readonly kind: 'audio' | 'video' }) {
  useWorkerControl();
  const [open, setOpen] = useState(false);
  const streamSrc = streamUrl(item.itemId, 0);
  const streaming = streamSrc !== null;
  const completeUrl = useCompleteFileUrl(item, readFile, open && !streaming);
  if (!streaming && item.status !== 'complete') return null;
  if (!open) {
    const label = item.status === 'complete' ? `Play ${item.name}` : `Play ${item.name} while it downloads`;
    return (
      <div className="preview" data-testid="item-preview" data-kind={kind}>
        <button type="button" className="button button--quiet" data-testid="preview-play" onClick={() => setOpen(true)} aria-label={label}>
          {item.status === 'complete' ? 'Play' : 'Play while downloading'}
        </button>
      </div>
    );
  }
  const src = streamSrc ?? completeUrl;
  const Player = kind;
  return (
    <div className="preview" data-testid="item-preview" data-kind={kind}>
      {src && <Player className={`preview__${kind}`} src={src} controls autoPlay aria-label={item.name} />}
    </div>
  );
}

/** The preview of an item, or nothing when it has none. */
export function ItemPreview({ item, readFile, streamUrl }: ItemPreviewProps) {
  const kind = previewKind(item);
  const imageUrl = useCompleteFileUrl(item, readFile, kind === 'image');
  if (kind === 'text') return <TextPreview item={item} readFile={readFile} />;
  if (kind === 'audio' || kind === 'video') return <MediaPreview item={item} readFile={readFile} streamUrl={streamUrl} kind={kind} />;
  if (kind !== 'image' || !imageUrl) return null;
  return (
    <div className="preview" data-testid="item-preview" data-kind="image">
      <img className="preview__image" src={imageUrl} alt={item.name} />
    </div>
  );
}
