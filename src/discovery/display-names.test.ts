// Display names travel inside the sealed, signed hello: each connector tells who said which name,
// a new name reaches the room with a fresh hello, and a name that does not fit is dropped while the
// hello itself still counts.
import { afterEach, describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { maxDisplayNameChars } from '../core/display-name';
import { joinTestRoom, nameOf, type TestRoomPeer } from '../test-support/memory-relay';
import { createTestRoom } from '../test-support/test-room';

const keys = await deriveRoomKeys('ZGlzcGxheS1uYW1lcy0xMg');

const joined: TestRoomPeer[] = [];
afterEach(() => {
  for (const peer of joined.splice(0)) peer.connector.close();
});

/** A room whose peers each show a name (changeable) and record every name they hear, by peer name. */
function namedRoom() {
  const room = createTestRoom(keys, joined);
  const heard = new Map<string, [string, string | null][]>();
  const join = async (name: string, shown: { current: string | null }) => {
    const log: [string, string | null][] = [];
    heard.set(name, log);
    const peer = await joinTestRoom(keys, name, {
      buses: [room.relay.connect],
      webrtc: room.webrtc,
      clock: room.sim.clock,
      names: { displayName: () => shown.current, onPeerName: (peerId, said) => log.push([nameOf(peerId), said]) },
    });
    joined.push(peer);
    return peer;
  };
  /** The last name `listener` heard from `speaker` (undefined: none heard). */
  const lastName = (listener: string, speaker: string): string | null | undefined =>
    heard
      .get(listener)
      ?.filter(([from]) => from === speaker)
      .at(-1)?.[1];
  return { ...room, join, lastName };
}

describe('display names in hellos', () => {
  it("tells each peer the other's name, and no name for a peer that chose none", async () => {
    const { sim, join, lastName } = namedRoom();
    const a = await join('a-names', { current: 'Ada' });
    const b = await join('b-names', { current: null });
    await sim.settle();
    expect([a.links.length, b.links.length]).toEqual([1, 1]);
    expect(lastName('b-names', 'a-names')).toBe('Ada');
    expect(lastName('a-names', 'b-names')).toBeNull();
  });

  it('announces a new name with a fresh hello to the room and one to each linked peer, and makes no new connection for it', async () => {
    const { sim, join, lastName, sentBy, webrtc } = namedRoom();
    const adaName = { current: 'Ada' as string | null };
    const a = await join('a-renames', adaName);
    const b = await join('b-renames', { current: 'Bo' });
    await sim.settle();
    const attemptsBefore = webrtc.attempts.length;
    const helloCount = sentBy('a-renames').length;

    adaName.current = 'Ada Lovelace';
    a.connector.announce();
    await sim.settle();
    expect(lastName('b-renames', 'a-renames')).toBe('Ada Lovelace');
    // The room-wide hello reaches only the relay's sample in a big room, so each linked peer is told by name too.
    expect(sentBy('a-renames').slice(helloCount)).toEqual(['hello>*', 'hello>b-renames']);
    expect(webrtc.attempts.length).toBe(attemptsBefore);
    expect([a.links.length, b.links.length]).toEqual([1, 1]);

    adaName.current = null;
    a.connector.announce();
    await sim.settle();
    expect(lastName('b-renames', 'a-renames')).toBeNull();
  });

  it('drops a name that is too long or not text, and still takes the hello that carried it', async () => {
    const { sim, join, lastName, member, sentBy } = namedRoom();
    await join('b-hostile', { current: null });
    await sim.settle();
    const hostile = await member('m-hostile');
    for (const name of ['x'.repeat(maxDisplayNameChars + 1), 'x'.repeat(1 << 16), { toString: () => 'Eve' }, ['Eve'], 7]) {
      await hostile.publish('*', 'hello', { links: 0, cap: 5, name });
      await sim.settle();
      expect(lastName('b-hostile', 'm-hostile')).toBeNull();
    }
    await hostile.publish('*', 'hello', { links: 0, cap: 5, name: 'Eve\u202Egnp.exe' });
    await sim.settle();
    expect(lastName('b-hostile', 'm-hostile')).toBe('Eve gnp.exe');
    // The hellos were taken as hellos: b invited the newcomer.
    expect(sentBy('b-hostile')).toContain('hello>m-hostile');
    hostile.close();
  });
});
