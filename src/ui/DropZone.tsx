// Where files come in: drag and drop (files and whole folders), a file picker and a folder picker.
// A folder's files carry their path inside it (`webkitRelativePath`); the session makes each folder one item.
import { useState, type DragEvent } from 'react';
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
      (error: unknown) => setProblems([`Could not read what was dropped: ${String(error)}`]),
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
      <p className="drop-zone__hint">{compact ? 'Drop more files or folders to share' : 'Drop files or folders here to share them'}</p>
      <div className="drop-zone__buttons">
        <label className="button">
          Choose files
          <input data-testid="drop-input" type="file" multiple hidden onChange={(event) => pick(event.currentTarget)} />
        </label>
        <label className="button button--quiet">
          Choose a folder
          <input
            data-testid="folder-input"
            type="file"
            multiple
            hidden
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            onChange={(event) => pick(event.currentTarget)}
          />
        </label>
      </div>
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
