import { describe, expect, it } from 'vitest';
import { maxDisplayNameChars } from '../core/display-name';
import { createDisplayNames, maxPeerNames } from './display-names';

/** Storage in a variable, with what was saved. */
function memoryStorage(initial: string | null = null) {
  const saved: (string | null)[] = [];
  let value = initial;
  return { saved, load: () => value, save: (name: string | null) => void (saved.push(name), (value = name)) };
}

describe('display names', () => {
  it('starts from the stored name, cleaned again, since storage is not trusted', () => {
    expect(createDisplayNames(memoryStorage(' Ada\u0007 ')).getSnapshot().mine).toBe('Ada');
    expect(createDisplayNames(memoryStorage('x'.repeat(500))).getSnapshot().mine).toBe('x'.repeat(maxDisplayNameChars));
    expect(createDisplayNames(memoryStorage()).getSnapshot().mine).toBeNull();
  });

  it('keeps a new name cleaned and cut, saves it, and tells listeners only when ours changes', () => {
    const storage = memoryStorage();
    const names = createDisplayNames(storage);
    const announced: (string | null)[] = [];
    names.onMineChange((name) => announced.push(name));
    expect(names.setMine('  Ada  Lovelace ')).toBe('Ada Lovelace');
    expect(names.setMine('Ada Lovelace')).toBe('Ada Lovelace'); // the same: nothing to announce
    names.heard('peer-1', 'Bo');
    expect(names.setMine('   ')).toBeNull();
    expect(announced).toEqual(['Ada Lovelace', null]);
    expect(storage.saved).toEqual(['Ada Lovelace', null]);
  });

  it("keeps each peer's latest name, forgets a name taken back, and keeps at most the newest peers", () => {
    const names = createDisplayNames(memoryStorage());
    names.heard('p1', 'Bo');
    names.heard('p1', 'Bob');
    names.heard('p2', 'Cy');
    names.heard('p2', null);
    expect([...names.getSnapshot().peers]).toEqual([['p1', 'Bob']]);
    for (let i = 0; i < maxPeerNames + 10; i++) names.heard(`crowd-${i}`, `n${i}`);
    const peers = names.getSnapshot().peers;
    expect(peers.size).toBe(maxPeerNames);
    expect(peers.has('p1')).toBe(false);
    expect(peers.get(`crowd-${maxPeerNames + 9}`)).toBe(`n${maxPeerNames + 9}`);
  });
});
