// The room link and the ways to pass it on: Copy, Share (the system share sheet, where the browser has
// the Web Share API) and a QR code to scan.
import { useEffect, useState } from 'react';
import { shareLinkText } from '../app/messages';
import { RoomQr } from './RoomQr';
import './share.css';

/** How long "Copied" stays on the button before it reads "Copy" again, in ms: long enough to be read. */
const copiedShownMs = 1500;

/** The Web Share API, where this browser has it (Chromium on Android, ChromeOS and Windows; Safari; not desktop Linux or Firefox). */
const systemShare = (): ((data: ShareData) => Promise<void>) | null =>
  typeof navigator.share === 'function' ? (data) => navigator.share(data) : null;

/** What went wrong passing the link on; its reason code is the error's `data-reason`. */
type LinkProblem = 'link-copy-failed' | 'link-share-failed';

/** Why a share did not happen, or null when the person closed the share sheet themselves. */
const shareProblem = (error: unknown): LinkProblem | null =>
  error instanceof DOMException && error.name === 'AbortError' ? null : 'link-share-failed';

/** Shows the link anyone can open to join this room, with Copy, Share and the QR code. */
export function RoomLink({ link }: { readonly link: string }) {
  const [copied, setCopied] = useState(false);
  const [problem, setProblem] = useState<LinkProblem | null>(null);
  const share = systemShare();
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), copiedShownMs);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    navigator.clipboard.writeText(link).then(
      () => {
        setProblem(null);
        setCopied(true);
      },
      () => setProblem('link-copy-failed'),
    );
  };
  const shareLink = (send: (data: ShareData) => Promise<void>) => {
    send({ title: shareLinkText.title, text: shareLinkText.text, url: link }).then(
      () => setProblem(null),
      (error: unknown) => setProblem(shareProblem(error)),
    );
  };
  return (
    <section className="room-link" aria-labelledby="room-link-heading">
      <div className="room-link__main">
        <h2 id="room-link-heading">Room link</h2>
        <p className="room-link__hint">Anyone with this link can join the room and download what is shared in it. Send it, or let them scan the code.</p>
        <div className="room-link__row">
          <code data-testid="room-link" className="room-link__text">
            {link}
          </code>
          <div className="room-link__buttons">
            <button type="button" className="button" data-testid="copy-link" onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </button>
            {share && (
              <button type="button" className="button button--quiet" data-testid="share-link" onClick={() => shareLink(share)}>
                Share…
              </button>
            )}
          </div>
        </div>
        <p className="visually-hidden" role="status">
          {copied ? 'The room link is copied.' : ''}
        </p>
        {problem && (
          <p className="error" role="alert" data-testid="error" data-reason={problem}>
            {shareLinkText[problem]}
          </p>
        )}
      </div>
      <RoomQr link={link} />
    </section>
  );
}
