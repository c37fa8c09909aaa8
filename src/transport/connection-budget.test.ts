// The tab's RTCPeerConnection budget, and the transport refusing to create one once it is spent.
import { createIceConfig } from './ice-config';
import { describe, expect, it } from 'vitest';
import { connectionBudgetPerTab, createConnectionBudget } from './connection-budget';
import { createWebRtcPeer } from './webrtc-peer';

describe('connection budget', () => {
  it('counts up to its limit, then refuses and reports once', () => {
    const reports: number[] = [];
    const budget = createConnectionBudget({ limit: 3, onExhausted: (count) => reports.push(count), watch: () => undefined });
    expect([budget.take(), budget.take(), budget.take()]).toEqual([true, true, true]);
    expect(budget.exhausted).toBe(true);
    expect([budget.take(), budget.take()]).toEqual([false, false]);
    expect(budget.count).toBe(3);
    expect(reports).toHaveLength(1);
    expect(reports).toEqual([3]);
  });

  it('gives a connection’s share back once the browser reclaims it, and reports again if it runs out again', () => {
    const reports: number[] = [];
    const reclaim: (() => void)[] = [];
    const budget = createConnectionBudget({ limit: 2, onExhausted: (count) => reports.push(count), watch: (_target, reclaimed) => reclaim.push(reclaimed) });
    for (const connection of [{}, {}]) {
      expect(budget.take()).toBe(true);
      budget.track(connection);
    }
    expect(budget.take()).toBe(false);
    reclaim.shift()?.();
    expect(budget.count).toBe(1);
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
    expect(reports).toEqual([2, 2]);
  });

  it('defaults to a limit below Chrome’s 500 per tab', () => {
    const budget = createConnectionBudget({ onExhausted: () => undefined });
    expect(budget.limit).toBe(connectionBudgetPerTab);
    expect(connectionBudgetPerTab).toBeLessThan(500);
  });

  it('makes the transport create nothing once spent', () => {
    const budget = createConnectionBudget({ limit: 0, onExhausted: () => undefined });
    const never = () => {
      throw new Error('must not be called');
    };
    const peer = createWebRtcPeer({ remotePeerId: 'b', initiator: true, ice: createIceConfig(), budget, onSignal: never, onLink: never, onClose: never });
    expect(peer).toBeNull();
    expect(budget.count).toBe(0);
  });
});
