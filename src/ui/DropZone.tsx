// Where files come in: drag and drop (files and whole folders), a file picker and a folder picker.
// A folder's files carry their path inside it (`webkitRelativePath`); the session makes each folder one item.
import { useState, type DragEvent } from 'react';
import { dropReadFailedText } from '../app/messages';
import { droppedEntries, readDropped } from './dropped-files';

/** Props: what to do with the files the person chose. */
export interface DropZoneProps {
  readonly onFiles: (files: File[]) => void;
  readonly compact: boolean;
}

/** The drop zone with both pickers. */
export function DropZone({ onFiles, compact }: DropZoneProps) {
  const [over, setOver] = useState(false);
  const [problems, setProblems] = useState<readonly string[]>([]);
  const take = (files: File[]) => {
    if (files.length > 0) onFiles(files);
  };
  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setOver(false);
    // Entries must be taken now: the browser empties the DataTransfer once the event returns.
    const entries = droppedEntries(event.dataTransfer);
    if (!entries) return take([...event.dataTransfer.files]);
    readDropped(entries).then(
      (dropped) => {
        setProblems(dropped.problems);
        take(dropped.files);
      },
      (error: unknown) => setProblems([dropReadFailedText(String(error))]),
    );
  };
  const pick = (input: HTMLInputElement) => {
    take(input.files ? [...input.files] : []);
    input.value = '';
  };
  return (
    <section
      className={`drop-zone${over ? ' drop-zone--over' : ''}${compact ? ' drop-zone--compact' : ''}`}
      onDragOver={(event) => {
        event.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
      {!compact && (
        <svg className="drop-zone__art" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
          <path d="M14 34h-2a8 8 0 0 1-1-15.9A12 12 0 0 1 34.4 15 9.5 9.5 0 0 1 36 34h-2" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
          <path d="M24 40V22m-7 7 7-7 7 7" fill="none" stroke="currentColor" strokeWidth="3" strokeLinecap="round" strokeLinejoin="round" />
        </svg>
      )}
      <p className="drop-zone__hint">{compact ? 'Drop more files or folders to share' : 'Drop files or folders here to share them'}</p>
      {/* The inputs are hidden from sight only: Tab reaches them, and the label around each shows its focus. */}
      <div className="drop-zone__buttons">
        <label className="button">
          Choose files
          <input data-testid="drop-input" className="visually-hidden" type="file" multiple onChange={(event) => pick(event.currentTarget)} />
        </label>
        <label className="button button--quiet">
          Choose a folder
          <input
            data-testid="folder-input"
            className="visually-hidden"
            type="file"
            multiple
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            onChange={(event) => pick(event.currentTarget)}
          />
        </label>
      </div>
      {!compact && (
        <ol className="drop-zone__steps">
          <li>
            <span>
              <strong>Drop</strong> files or a folder
            </span>
          </li>
          <li>
            <span>
              <strong>Send</strong> the link or QR code
            </span>
          </li>
          <li>
            <span>
              <strong>Everyone</strong> downloads from everyone
            </span>
          </li>
        </ol>
      )}
      {problems.length > 0 && (
        <ul className="errors">
          {problems.map((problem, i) => (
            <li key={`${i}:${problem}`} className="error" data-testid="error">
              {problem}
            </li>
          ))}
          <li>
            <button type="button" className="button button--quiet" onClick={() => setProblems([])}>
              Dismiss
            </button>
          </li>
        </ul>
      )}
    </section>
  );
}
