import { describe, expect, it } from 'vitest';
import { createIceConfig } from './ice-config';

describe('the ICE servers a tab uses', () => {
  it('starts empty (host candidates only) and tells listeners each new list, e.g. fresh TURN credentials', () => {
    const ice = createIceConfig();
    expect(ice.current()).toEqual([]);
    expect(ice.hasTurn()).toBe(false);
    const heard: (readonly RTCIceServer[])[] = [];
    const stop = ice.subscribe((servers) => heard.push(servers));
    const first = [{ urls: 'stun:relay.example:8080' }, { urls: ['turn:t.example:3478'], username: '1:a', credential: 'x' }];
    ice.set(first);
    expect(ice.current()).toBe(first);
    expect(ice.hasTurn()).toBe(true);
    stop();
    ice.set([{ urls: 'stun:relay.example:8080' }]);
    expect(heard).toEqual([first]);
    expect(ice.hasTurn()).toBe(false);
  });

  it('recognises turns: URIs as TURN too', () => {
    expect(createIceConfig([{ urls: 'turns:t.example:5349', username: 'u', credential: 'p' }]).hasTurn()).toBe(true);
  });
});
