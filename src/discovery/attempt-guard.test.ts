import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/clock';
import { attemptBurstPerPeer, attemptRefillMs, createAttemptGuard, maxFailedAttemptsPerPeer, maxGuardedPeers } from './attempt-guard';

function setup() {
  const clock = createManualClock(1_000_000);
  return { clock, guard: createAttemptGuard(() => clock.now()) };
}

describe('attempt guard', () => {
  it('allows a burst of attempts with one peer, then one per refill period', () => {
    const { clock, guard } = setup();
    for (let i = 0; i < attemptBurstPerPeer; i++) {
      expect(guard.refusal('p')).toBeNull();
      guard.started('p');
      guard.opened('p');
    }
    expect(guard.refusal('p')).toBe('too many connection attempts');
    expect(guard.refusal('q')).toBeNull(); // another peer's allowance is its own
    clock.advance(attemptRefillMs - 1);
    expect(guard.refusal('p')).toBe('too many connection attempts');
    clock.advance(1);
    expect(guard.refusal('p')).toBeNull();
    guard.started('p');
    expect(guard.refusal('p')).toBe('too many connection attempts');
    clock.advance(10 * attemptRefillMs);
    for (let i = 0; i < attemptBurstPerPeer; i++) guard.started('p');
    expect(guard.refusal('p')).toBe('too many connection attempts'); // the burst never grows past its size
  });

  it('gives up on a peer whose attempts failed in a row, and forgives failures once a link opens', () => {
    const { clock, guard } = setup();
    for (let i = 0; i < maxFailedAttemptsPerPeer - 1; i++) {
      guard.started('p');
      guard.failed('p');
    }
    guard.started('p');
    guard.opened('p');
    clock.advance(10 * attemptRefillMs);
    for (let i = 0; i < maxFailedAttemptsPerPeer; i++) {
      expect(guard.refusal('p')).toBeNull();
      guard.started('p');
      guard.failed('p');
      clock.advance(attemptRefillMs);
    }
    clock.advance(100 * attemptRefillMs);
    expect(guard.refusal('p')).toBe(`its last ${maxFailedAttemptsPerPeer} connection attempts failed`);
  });

  it('remembers at most maxGuardedPeers peers, the least recently seen going first', () => {
    const { guard } = setup();
    for (let i = 0; i < maxFailedAttemptsPerPeer; i++) guard.failed('first');
    expect(guard.refusal('first')).not.toBeNull();
    for (let i = 0; i < maxGuardedPeers; i++) guard.refusal(`peer ${i}`);
    expect(guard.refusal('first')).toBeNull(); // forgotten: a new identity costs the attacker as much as this
  });
});
