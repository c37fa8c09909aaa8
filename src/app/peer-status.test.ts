import { describe, expect, it } from 'vitest';
import { createPeerStatusBoard } from './peer-status';

describe('peer connection statuses', () => {
  it('follows a link from connecting to open, its route and check, reconnecting and back', () => {
    const board = createPeerStatusBoard();
    board.connecting('p');
    expect(board.getSnapshot().get('p')).toEqual({ peerId: 'p', state: 'connecting', route: null, fingerprint: null });
    board.route('p', 'relay');
    board.opened('p');
    board.fingerprint('p', 'match');
    board.recovering('p', true);
    expect(board.getSnapshot().get('p')).toEqual({ peerId: 'p', state: 'reconnecting', route: 'relay', fingerprint: 'match' });
    board.recovering('p', false);
    expect(board.getSnapshot().get('p')?.state).toBe('open');
  });

  it.each([
    ['no path worked', true, 'unreachable'],
    ['the peer left or declined', false, undefined],
  ] as const)('after a close where %s the peer is %s', (_label, unreachable, expected) => {
    const board = createPeerStatusBoard();
    board.connecting('p');
    board.closed('p', unreachable);
    expect(board.getSnapshot().get('p')?.state).toBe(expected);
  });

  it('keeps saying unreachable while a new attempt runs, until one opens', () => {
    const board = createPeerStatusBoard();
    board.connecting('p');
    board.closed('p', true);
    board.connecting('p');
    expect(board.getSnapshot().get('p')?.state).toBe('unreachable');
    board.opened('p');
    expect(board.getSnapshot().get('p')?.state).toBe('open');
  });
});
