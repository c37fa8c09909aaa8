// The room link with a copy button.
import { useState } from 'react';

/** Shows the link anyone can open to join this room. */
export function RoomLink({ link }: { readonly link: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    navigator.clipboard.writeText(link).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1500);
      },
      () => setCopied(false),
    );
  };
  return (
    <section className="room-link">
      <h2>Room link</h2>
      <p className="room-link__hint">Anyone with this link can join the room and download what is shared in it.</p>
      <div className="room-link__row">
        <code data-testid="room-link" className="room-link__text">
          {link}
        </code>
        <button type="button" className="button" data-testid="copy-link" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
    </section>
  );
}
