import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  answererRestartDelayMs,
  createIceRecovery,
  initiatorRestartDelayMs,
  recoveryGiveUpMs,
  restartAttemptMs,
  stableResetMs,
  stalledAnswererDelayMs,
  type IceRestartAction,
} from './ice-recovery';

function setup(initiator: boolean, hasTurn = true) {
  const restarts: IceRestartAction[] = [];
  const events: string[] = [];
  const recovery = createIceRecovery({
    initiator,
    hasTurn: () => hasTurn,
    restart: (action) => restarts.push(action),
    giveUp: () => events.push('gave up'),
    onRecovering: (on) => events.push(on ? 'recovering' : 'recovered'),
  });
  return { recovery, restarts, events };
}

describe('ICE recovery', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts after a short wait when a connected link breaks, and stops once it is back', () => {
    const { recovery, restarts, events } = setup(true);
    recovery.onIceState('checking');
    recovery.onIceState('connected');
    recovery.onIceState('disconnected');
    expect(events).toEqual(['recovering']);
    vi.advanceTimersByTime(initiatorRestartDelayMs - 1);
    expect(restarts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(restarts).toEqual([{ attempt: 1, relayOnly: false }]);
    recovery.onIceState('connected');
    expect(events).toEqual(['recovering', 'recovered']);
    vi.advanceTimersByTime(recoveryGiveUpMs * 2);
    expect(restarts).toHaveLength(1);
    expect(events).not.toContain('gave up');
  });

  it('heals without a restart when the path comes back on its own', () => {
    const { recovery, restarts, events } = setup(true);
    recovery.onIceState('connected');
    recovery.onIceState('disconnected');
    vi.advanceTimersByTime(initiatorRestartDelayMs / 2);
    recovery.onIceState('connected');
    vi.advanceTimersByTime(recoveryGiveUpMs);
    expect(restarts).toEqual([]);
    expect(events).toEqual(['recovering', 'recovered']);
  });

  it('retries, turns to TURN only from the second attempt, then gives up at the bound', () => {
    const { recovery, restarts, events } = setup(true);
    recovery.onIceState('connected');
    recovery.onIceState('failed');
    vi.advanceTimersByTime(initiatorRestartDelayMs + restartAttemptMs * 2);
    expect(restarts).toEqual([
      { attempt: 1, relayOnly: false },
      { attempt: 2, relayOnly: true },
      { attempt: 3, relayOnly: true },
    ]);
    vi.advanceTimersByTime(recoveryGiveUpMs);
    expect(events).toEqual(['recovering', 'gave up']);
    const count = restarts.length;
    vi.advanceTimersByTime(recoveryGiveUpMs);
    expect(restarts).toHaveLength(count);
  });

  it('counts restarts across a path that heals and breaks again, until it has been stable a while', () => {
    const { recovery, restarts } = setup(true);
    recovery.onIceState('connected');
    for (let round = 0; round < 2; round++) {
      recovery.onIceState('disconnected');
      vi.advanceTimersByTime(initiatorRestartDelayMs);
      recovery.onIceState('connected');
      vi.advanceTimersByTime(5_000);
    }
    expect(restarts).toEqual([
      { attempt: 1, relayOnly: false },
      { attempt: 2, relayOnly: true },
    ]);
    vi.advanceTimersByTime(stableResetMs);
    recovery.onIceState('disconnected');
    vi.advanceTimersByTime(initiatorRestartDelayMs);
    expect(restarts[2]).toEqual({ attempt: 1, relayOnly: true });
  });

  it('a stalled path (seen by the path watch) restarts at once, and only flowing bytes end the recovery', () => {
    const { recovery, restarts, events } = setup(true);
    recovery.onIceState('connected');
    recovery.onPathStalled();
    vi.advanceTimersByTime(0);
    expect(restarts).toEqual([{ attempt: 1, relayOnly: false }]);
    // A restart makes ICE say 'connected' again while the cable is still out: that proves nothing.
    recovery.onIceState('connected');
    expect(recovery.recovering).toBe(true);
    recovery.onPathFlowing();
    expect(recovery.recovering).toBe(false);
    expect(events).toEqual(['recovering', 'recovered']);
  });

  it('the answering side asks soon after a stall, and a stall before the first connection is ignored', () => {
    const fresh = setup(false);
    fresh.recovery.onPathStalled();
    expect(fresh.recovery.recovering).toBe(false);
    const { recovery, restarts } = setup(false);
    recovery.onIceState('connected');
    recovery.onPathStalled();
    vi.advanceTimersByTime(stalledAnswererDelayMs);
    expect(restarts).toEqual([{ attempt: 1, relayOnly: false }]);
  });

  it('never asks for TURN only when no TURN server is configured', () => {
    const { recovery, restarts } = setup(true, false);
    recovery.onIceState('connected');
    recovery.onIceState('disconnected');
    vi.advanceTimersByTime(initiatorRestartDelayMs + restartAttemptMs * 3);
    expect(restarts.every((r) => !r.relayOnly)).toBe(true);
    expect(restarts.length).toBeGreaterThan(2);
  });

  it('the answering side waits longer, and the initiator restarts at once when asked', () => {
    const answerer = setup(false);
    answerer.recovery.onIceState('connected');
    answerer.recovery.onIceState('disconnected');
    vi.advanceTimersByTime(answererRestartDelayMs - 1);
    expect(answerer.restarts).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(answerer.restarts).toEqual([{ attempt: 1, relayOnly: false }]);

    const initiator = setup(true);
    initiator.recovery.onIceState('connected');
    initiator.recovery.onRestartRequested(true);
    expect(initiator.restarts).toEqual([{ attempt: 1, relayOnly: true }]);
    answerer.recovery.onRestartRequested(true);
    expect(answerer.restarts).toHaveLength(1);
  });

  it('ignores a failure before the first connection (the connect timeout covers that) and everything after dispose', () => {
    const { recovery, restarts, events } = setup(true);
    recovery.onIceState('checking');
    recovery.onIceState('failed');
    vi.advanceTimersByTime(recoveryGiveUpMs);
    expect(events).toEqual([]);
    recovery.onIceState('connected');
    recovery.onIceState('disconnected');
    recovery.dispose();
    vi.advanceTimersByTime(recoveryGiveUpMs);
    expect(restarts).toEqual([]);
    expect(events).toEqual(['recovering']);
  });
});
