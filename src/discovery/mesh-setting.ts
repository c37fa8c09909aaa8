// A test-only setting: the mesh cap, read from localStorage, so an end-to-end test can exercise a
// partial mesh with a dozen pages on one machine. Not shown in the UI; absent or malformed, the
// page keeps its own cap (mesh.ts). Only lowering is taken: a page never links to more than it would.
import { meshCapBaseLinks, minLinksPerPeer, type MeshLimits } from './mesh';

/** localStorage key of the test-only mesh cap (a whole number of links). */
export const meshCapKey = 'swarmdrop.meshCap';

/** The mesh limits the stored setting overrides: a cap from the minimum links to the base cap, else none. */
export function loadMeshOverrides(storage: Pick<Storage, 'getItem'>): Partial<MeshLimits> {
  const stored = storage.getItem(meshCapKey);
  const cap = stored === null ? Number.NaN : Number(stored);
  return Number.isSafeInteger(cap) && cap >= minLinksPerPeer && cap <= meshCapBaseLinks ? { capLinks: cap } : {};
}
