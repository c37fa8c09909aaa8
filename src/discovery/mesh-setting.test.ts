import { describe, expect, it } from 'vitest';
import { createMeshLimits, hardCapExtraLinks, meshCapBaseLinks, minLinksPerPeer } from './mesh';
import { loadMeshOverrides, meshCapKey } from './mesh-setting';

const stored = (value: string | null) => ({ getItem: (key: string) => (key === meshCapKey ? value : null) });

describe('test-only mesh cap setting', () => {
  it.each([
    ['4', { capLinks: 4 }],
    [String(minLinksPerPeer), { capLinks: minLinksPerPeer }],
    [String(meshCapBaseLinks), { capLinks: meshCapBaseLinks }],
    [null, {}],
    ['', {}],
    ['2', {}], // below the minimum links: every peer would stay needy
    [String(meshCapBaseLinks + 1), {}], // only lowering is taken
    ['4.5', {}],
    ['four', {}],
    ['1e9', {}],
  ])('reads %j as %j', (value, overrides) => {
    expect(loadMeshOverrides(stored(value))).toEqual(overrides);
  });

  it('moves the hard cap with the cap', () => {
    const limits = createMeshLimits(() => 0.5, loadMeshOverrides(stored('4')));
    expect([limits.capLinks, limits.hardCapLinks]).toEqual([4, 4 + hardCapExtraLinks]);
  });
});
