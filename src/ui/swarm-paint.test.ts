import { describe, expect, it } from 'vitest';
import { edgeWidth, peerPositions } from './swarm-paint';

describe('swarm graph layout', () => {
  it('spreads peers evenly around this tab, the first at the top, all inside the canvas', () => {
    const positions = peerPositions(4, 600, 260);
    expect(positions).toHaveLength(4);
    expect(positions[0]).toEqual({ x: 300, y: 24 });
    for (const { x, y } of positions) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(600);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(260);
    }
    expect(peerPositions(0, 600, 260)).toEqual([]);
  });

  it('draws faster links thicker, a trickle still visible, within bounds', () => {
    expect(edgeWidth(0)).toBe(1);
    expect(edgeWidth(1000)).toBeGreaterThan(1);
    expect(edgeWidth(1_000_000)).toBeGreaterThan(edgeWidth(1000));
    expect(edgeWidth(1e12)).toBe(6);
  });
});
