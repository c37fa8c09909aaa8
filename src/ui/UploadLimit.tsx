// The upload limit setting: megabytes per second, empty for no limit.
import { useState } from 'react';

/** Props: the current limit in bytes per second (null: none) and how to change it. */
export interface UploadLimitProps {
  readonly limit: number | null;
  readonly onChange: (bytesPerSecond: number | null) => void;
}

const bytesPerMegabyte = 1_000_000;

/** An input for the upload cap, applied when it loses focus or on Enter. */
export function UploadLimit({ limit, onChange }: UploadLimitProps) {
  const [text, setText] = useState(limit === null ? '' : String(limit / bytesPerMegabyte));
  const apply = () => {
    const value = Number(text);
    if (text.trim() === '' || value === 0) onChange(null);
    else if (Number.isFinite(value) && value > 0) onChange(Math.round(value * bytesPerMegabyte));
    else setText(limit === null ? '' : String(limit / bytesPerMegabyte));
  };
  return (
    <label className="toggle">
      Upload limit{' '}
      <input
        data-testid="upload-limit"
        className="upload-limit"
        type="number"
        inputMode="decimal"
        min="0"
        step="0.1"
        placeholder="none"
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onBlur={apply}
        onKeyDown={(event) => {
          if (event.key === 'Enter') apply();
        }}
      />{' '}
      MB/s
    </label>
  );
}
