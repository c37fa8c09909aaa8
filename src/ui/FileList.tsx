// The files of a folder item: path and size of each, the first few at once; expanded, a filter and
// the matching files a page at a time (src/ui/file-list-window.ts), so thousands of files stay smooth.
import { useMemo, useState } from 'react';
import type { ManifestFile } from '../core/manifest';
import { collapsedFileCount, fileListPageRows, fileWindow } from './file-list-window';
import { formatBytes } from './format';
import './file-list.css';

/** Props: the item's files, in manifest order. */
export interface FileListProps {
  readonly files: readonly ManifestFile[];
  /** Saves one file of the item by its index (offered once the item is complete). */
  readonly onSaveFile?: ((fileIndex: number) => void) | undefined;
}

/** A folder item's file list, collapsible when long. */
export function FileList({ files, onSaveFile }: FileListProps) {
  const [limit, setLimit] = useState(collapsedFileCount);
  const [filter, setFilter] = useState('');
  const expanded = limit > collapsedFileCount;
  const paths = useMemo(() => files.map((f) => f.path), [files]);
  const shown = useMemo(() => fileWindow(paths, expanded ? filter : '', limit), [paths, filter, limit, expanded]);
  return (
    <div className="file-list">
      {expanded && (
        <input
          type="search"
          className="file-list__filter"
          data-testid="item-files-filter"
          aria-label="Find a file in this folder"
          placeholder={`Find among ${files.length.toLocaleString('en-US')} files`}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
        />
      )}
      <ul className="file-list__files" data-testid="item-files">
        {shown.indexes.map((index) => {
          const file = files[index];
          return (
            file && (
              <li key={index} className="file-list__file" data-testid="item-file" data-path={file.path}>
                <span className="file-list__path">{file.path}</span>
                <span className="file-list__size">{formatBytes(file.size)}</span>
                {onSaveFile && (
                  <button type="button" className="button button--quiet" data-testid="item-file-save" onClick={() => onSaveFile(index)}>
                    Save
                  </button>
                )}
              </li>
            )
          );
        })}
      </ul>
      {expanded && shown.matching === 0 && <p className="file-list__none">No file path contains “{filter.trim()}”.</p>}
      {shown.hidden > 0 && (
        <button
          type="button"
          className="file-list__toggle"
          data-testid="item-files-more"
          onClick={() => setLimit(expanded ? limit + fileListPageRows : fileListPageRows)}
        >
          {expanded ? `show ${Math.min(fileListPageRows, shown.hidden).toLocaleString('en-US')} more of ${shown.hidden.toLocaleString('en-US')}` : `and ${shown.hidden.toLocaleString('en-US')} more`}
        </button>
      )}
      {expanded && (
        <button
          type="button"
          className="file-list__toggle"
          onClick={() => {
            setLimit(collapsedFileCount);
            setFilter('');
          }}
        >
          show fewer
        </button>
      )}
    </div>
  );
}
