import { describe, expect, it } from 'vitest';
import { linkError } from './link-error';
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
    ['a connect timeout', linkError('ERR_CONNECT_TIMEOUT', 'x'), 'unreachable'],
    ['ICE restarts that gave up', linkError('ERR_UNREACHABLE', 'x'), 'unreachable'],
    ["simple-peer's ICE failure", Object.assign(new Error('Ice connection failed.'), { code: 'ERR_ICE_CONNECTION_FAILURE' }), 'unreachable'],
    ['a declined invite', new Error('declined'), undefined],
    ['a normal close', undefined, undefined],
  ] as const)('after %s the peer is %s', (_label, error, expected) => {
    const board = createPeerStatusBoard();
    board.connecting('p');
    board.closed('p', error);
    expect(board.getSnapshot().get('p')?.state).toBe(expected);
  });

  it('keeps saying unreachable while a new attempt runs, until one opens', () => {
    const board = createPeerStatusBoard();
    board.connecting('p');
    board.closed('p', linkError('ERR_CONNECT_TIMEOUT', 'x'));
    board.connecting('p');
    expect(board.getSnapshot().get('p')?.state).toBe('unreachable');
    board.opened('p');
    expect(board.getSnapshot().get('p')?.state).toBe('open');
  });
});
