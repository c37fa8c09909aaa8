// Where files come in: drag and drop, a file picker and a folder picker.
import { useState, type DragEvent } from 'react';

/** Props: what to do with the files the person chose. */
export interface DropZoneProps {
  readonly onFiles: (files: File[]) => void;
  readonly compact: boolean;
}

/** The drop zone with both pickers. */
export function DropZone({ onFiles, compact }: DropZoneProps) {
  const [over, setOver] = useState(false);
  const onDrop = (event: DragEvent<HTMLElement>) => {
    event.preventDefault();
    setOver(false);
    const files = [...event.dataTransfer.files];
    if (files.length > 0) onFiles(files);
  };
  const take = (list: FileList | null) => {
    const files = list ? [...list] : [];
    if (files.length > 0) onFiles(files);
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
      <p className="drop-zone__hint">{compact ? 'Drop more files to share' : 'Drop files here to share them'}</p>
      <div className="drop-zone__buttons">
        <label className="button">
          Choose files
          <input
            data-testid="drop-input"
            type="file"
            multiple
            hidden
            onChange={(event) => {
              take(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </label>
        <label className="button button--quiet">
          Choose a folder
          <input
            data-testid="folder-input"
            type="file"
            multiple
            hidden
            ref={(input) => input?.setAttribute('webkitdirectory', '')}
            onChange={(event) => {
              take(event.currentTarget.files);
              event.currentTarget.value = '';
            }}
          />
        </label>
      </div>
    </section>
  );
}
