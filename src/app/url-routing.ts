// Joining from the address: the room the fragment names on load, a room link pasted into an open tab
// later, and a clear sentence for a damaged link.
import { errorMessage } from '../core/errors';
import { parseSecret } from '../core/room-keys';
import type { Session } from './session';

/** The address bar, as routing needs it (the browser's `location` in main.tsx; a fake in tests). */
export interface AddressBar {
  /** The fragment, with its `#`. */
  hash(): string;
  reload(): void;
  /** Hears fragment changes; returns how to stop. */
  onHashChange(listener: () => void): () => void;
}

/** What routing drives. */
export type RoutedSession = Pick<Session, 'joinRoom' | 'reportError' | 'getSnapshot'>;

/**
 * Joins the room the fragment names now, and whenever a room link is pasted in. A tab already in
 * another room reloads: a page is in one room, and the reload joins the new one. Returns how to stop.
 */
export function startUrlRouting(session: RoutedSession, address: AddressBar): () => void {
  const joinFromFragment = (): void => {
    const secret = parseSecret(address.hash());
    if (secret) {
      session.joinRoom(secret).catch((error: unknown) => session.reportError({ code: 'join-failed', detail: errorMessage(error) }));
    } else if (address.hash().length > 1) {
      session.reportError({ code: 'link-damaged' });
    }
  };
  joinFromFragment();
  return address.onHashChange(() => {
    const current = session.getSnapshot().roomLink;
    if (current === null) return joinFromFragment();
    const secret = parseSecret(address.hash());
    if (secret && `#${secret}` !== new URL(current).hash) address.reload();
  });
}
