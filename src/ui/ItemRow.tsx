// One shared item: name, size, the files of a folder, progress, who has it, and its actions.
import { memo } from 'react';
import { noticeText } from '../app/messages';
import { isFolderItem } from '../core/share-plan';
import type { ItemView } from '../core/swarm/view-types';
import { AvailabilityBar } from './AvailabilityBar';
import { FileList } from './FileList';
import { etaText, formatBytes } from './format';
import { ItemIcon } from './ItemIcon';
import { ItemPreview, type ReadFile } from './ItemPreview';

/** What an item's buttons do, by item id: one object for every row, so a row whose item is unchanged does not render again. */
export interface ItemActions {
  download(itemId: string): void;
  pause(itemId: string): void;
  save(itemId: string): void;
  /** Saves one file of a folder item. */
  saveFile(itemId: string, fileIndex: number): void;
  /** Reads bytes of an item's file, for its preview. */
  readonly readFile: ReadFile;
  /** Where an item's media streams from while it downloads; null where no service worker answers. */
  readonly streamUrl: (itemId: string, fileIndex: number) => string | null;
}

/** Props: the item and what its buttons do. */
export interface ItemRowProps {
  readonly item: ItemView;
  readonly actions: ItemActions;
}

const statusText: Record<ItemView['status'], string> = {
  available: 'Available',
  downloading: 'Downloading',
  paused: 'Paused',
  complete: 'Complete',
  error: 'Error',
};

/**
 * A row of the item list, carrying the automation contract's selectors. Memoised: the engine keeps an
 * unchanged item's view object, so among thousands of rows only the changed ones render.
 */
export const ItemRow = memo(function ItemRow({ item, actions }: ItemRowProps) {
  const { itemId } = item;
  const onDownload = () => actions.download(itemId);
  const onPause = () => actions.pause(itemId);
  const onSave = () => actions.save(itemId);
  const onSaveFile = (fileIndex: number) => actions.saveFile(itemId, fileIndex);
  const canDownload = item.status === 'available' || item.status === 'paused' || item.status === 'error';
  const folder = isFolderItem(item.name, item.files);
  return (
    <li
      className={`item item--${item.status}`}
      data-testid="item"
      data-item-id={item.itemId}
      data-name={item.name}
      data-state={item.status}
      data-held={item.heldBitsHex}
      data-chunks={item.chunkCount}
    >
      <div className="item__head">
        <ItemIcon name={item.name} mimeType={item.files[0]?.type} folder={folder} />
        <span className="item__name">{item.name}</span>
        <span className="item__size">
          {folder && `${item.files.length} ${item.files.length === 1 ? 'file' : 'files'} · `}
          {formatBytes(item.totalBytes)}
        </span>
      </div>
      {folder && <FileList files={item.files} onSaveFile={item.status === 'complete' ? onSaveFile : undefined} />}
      <ItemPreview item={item} readFile={actions.readFile} streamUrl={actions.streamUrl} />
      <progress data-testid="item-progress" className="item__progress" value={item.verifiedBytes} max={item.totalBytes} aria-label={`${item.name}: downloaded`} />
      {!item.local && item.status !== 'complete' && <AvailabilityBar coverage={item.swarmCoverage} />}
      <div className="item__foot">
        <span className="item__status">
          {statusText[item.status]}
          {item.status === 'downloading' || item.status === 'paused'
            ? ` · ${formatBytes(item.verifiedBytes)} of ${formatBytes(item.totalBytes)}`
            : ''}
          {item.local ? ' · shared by you' : ` · ${item.peersWithItem} ${item.peersWithItem === 1 ? 'peer has' : 'peers have'} it`}
          {item.status === 'downloading' && (
            <span className="item__eta" data-testid="item-eta" data-bytes-per-second={item.downBytesPerSecond}>
              {' · '}
              {etaText(item.totalBytes - item.verifiedBytes, item.downBytesPerSecond)}
            </span>
          )}
        </span>
        <span className="item__actions">
          {canDownload && (
            <button type="button" className="button" data-testid="item-download" onClick={onDownload}>
              {item.status === 'available' ? 'Download' : 'Resume'}
            </button>
          )}
          {item.status === 'downloading' && (
            <button type="button" className="button button--quiet" data-testid="item-pause" onClick={onPause}>
              Pause
            </button>
          )}
          {item.status === 'complete' && (
            <button type="button" className="button" data-testid="item-save" onClick={onSave}>
              {folder ? 'Save as ZIP' : 'Save'}
            </button>
          )}
        </span>
      </div>
      {item.notice && (
        <p className="error" data-testid="error" data-reason={item.notice.code}>
          {noticeText(item.notice, item.name)}
        </p>
      )}
    </li>
  );
});
