// Share text instead of a file: typed or pasted text becomes a small text item that the others read
// and copy in place (its preview).
import { useId, useState } from 'react';
import { snippetFile } from '../app/snippets';
import './preview.css';

/** Props: what to do with the text's file (share it, as a dropped file). */
export interface SnippetComposerProps {
  readonly onShare: (file: File) => void;
}

/** A text box and a Share text button, folded away until asked for. */
export function SnippetComposer({ onShare }: SnippetComposerProps) {
  const [text, setText] = useState('');
  const inputId = useId();
  const share = (): void => {
    const file = snippetFile(text, new Date());
    if (!file) return;
    onShare(file);
    setText('');
  };
  return (
    <details className="snippet">
      <summary className="snippet__summary">Share text instead</summary>
      <label className="snippet__label" htmlFor={inputId}>
        Text to share (a note, a link, a password): everyone in the room can read and copy it.
      </label>
      <textarea
        id={inputId}
        className="snippet__input"
        data-testid="snippet-input"
        rows={4}
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) share();
        }}
      />
      <button type="button" className="button" data-testid="snippet-share" disabled={text.trim() === ''} onClick={share}>
        Share text
      </button>
    </details>
  );
}
