// The files of a folder item: path and size of each, the first few at once and the rest on request.
import { useState } from 'react';
import type { ManifestFile } from '../core/manifest';
import { formatBytes } from './format';
import './file-list.css';

/** Files listed before "and N more": enough to recognise a folder, few enough to keep the row short. */
export const collapsedFileCount = 10;

/** Props: the item's files, in manifest order. */
export interface FileListProps {
  readonly files: readonly ManifestFile[];
  /** Saves one file of the item by its index (offered once the item is complete). */
  readonly onSaveFile?: ((fileIndex: number) => void) | undefined;
}

/** A folder item's file list, collapsible when long. */
export function FileList({ files, onSaveFile }: FileListProps) {
  const [expanded, setExpanded] = useState(false);
  const shown = expanded ? files : files.slice(0, collapsedFileCount);
  const hidden = files.length - shown.length;
  return (
    <div className="file-list">
      <ul className="file-list__files" data-testid="item-files">
        {shown.map((file, i) => (
          <li key={`${i}:${file.path}`} className="file-list__file" data-testid="item-file" data-path={file.path}>
            <span className="file-list__path">{file.path}</span>
            <span className="file-list__size">{formatBytes(file.size)}</span>
            {onSaveFile && (
              // `shown` is a prefix of `files`, so the row's index is the file's index in the item.
              <button type="button" className="button button--quiet" data-testid="item-file-save" onClick={() => onSaveFile(i)}>
                Save
              </button>
            )}
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <button type="button" className="file-list__toggle" data-testid="item-files-more" onClick={() => setExpanded(true)}>
          and {hidden} more
        </button>
      )}
      {expanded && files.length > collapsedFileCount && (
        <button type="button" className="file-list__toggle" onClick={() => setExpanded(false)}>
          show fewer
        </button>
      )}
    </div>
  );
}
