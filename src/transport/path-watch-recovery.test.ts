// The path watch feeding ICE recovery, as webrtc-peer.ts wires them, on fake time: a quiet or slow
// link is never restarted; a link whose data goes out unanswered is, and recovers once bytes flow.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pathCheckIntervalMs } from './constants';
import { createIceRecovery, type IceRestartAction } from './ice-recovery';
import { createPathWatch } from './path-watch';

/** What crossed the link in one second of its life. */
interface Second {
  readonly sent: number;
  readonly received: number;
  readonly roundTripMs?: number;
}

/** Runs a connected link for `seconds`, sampled every `pathCheckIntervalMs`; returns the ICE restarts and recovery events. */
function run(seconds: number, second: (t: number) => Second): { restarts: IceRestartAction[]; events: string[] } {
  const restarts: IceRestartAction[] = [];
  const events: string[] = [];
  const recovery = createIceRecovery({
    initiator: true,
    hasTurn: () => false,
    restart: (action) => restarts.push(action),
    giveUp: () => events.push('gave up'),
    onRecovering: (on) => events.push(on ? 'recovering' : 'recovered'),
  });
  recovery.onIceState('connected');
  const watch = createPathWatch();
  let sent = 0;
  let received = 0;
  for (let t = 0; t < seconds; t++) {
    const s = second(t);
    const flowing = s.received > 0;
    sent += s.sent;
    received += s.received;
    const stalled = watch.sample(Date.now(), { bytesSent: sent, bytesReceived: received, ...(s.roundTripMs === undefined ? {} : { roundTripMs: s.roundTripMs }) });
    if (stalled && !recovery.recovering) recovery.onPathStalled();
    else if (flowing && recovery.recovering) recovery.onPathFlowing();
    vi.advanceTimersByTime(pathCheckIntervalMs);
  }
  recovery.dispose();
  return { restarts, events };
}

describe('path watch and ICE recovery together', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it.each([
    ['an idle link with keep-alives, some answers lost', 600, (t: number) => (t % 30 === 29 ? { sent: 100, received: t % 60 === 59 ? 0 : 100 } : { sent: 0, received: 0 })],
    ['a 1 Mbit/s uplink whose acks queue behind its own uploads (every 3–4 s)', 300, (t: number) => ({ sent: 120_000, received: t % 7 === 1 || t % 7 === 4 ? 600 : 0 })],
    ['a bufferbloated link: 2 s round trips, answers every 4 s', 300, (t: number) => ({ sent: 40_000, received: t % 4 === 3 ? 600 : 0, roundTripMs: 2_000 })],
  ] as const)('never restarts %s', (_label, seconds, second) => {
    const { restarts, events } = run(seconds, second);
    expect({ restarts, events }).toEqual({ restarts: [], events: [] });
  });

  it('restarts a link whose data goes out and nothing comes back, and recovers when bytes flow again', () => {
    const cut = (t: number): boolean => t >= 10 && t < 20;
    const { restarts, events } = run(40, (t) => (cut(t) ? { sent: 1_200, received: 0 } : { sent: 1_000_000, received: 20_000 }));
    expect(restarts).toEqual([{ attempt: 1, relayOnly: false }, { attempt: 2, relayOnly: false }]);
    expect(events).toEqual(['recovering', 'recovered']);
  });
});
