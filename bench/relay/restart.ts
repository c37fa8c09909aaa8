// Figure 5: SIGKILL a relay holding clients that reconnect with the page's backoff, start it again
// on the same port, and time how fast and how soon every client is subscribed again.
import { peakInWindow, round } from './stats.js';
import { stopChild, waitFor, startRelay, type RelayCaps, type RelayProcess } from './processes.js';
import { closePairs, openPairs, waitForSocketCount, type Workers } from './pairs.js';

/** Clients connected when the relay dies. */
export const restartClients = 5_000;

/** Time for every client to be back: the backoff alone caps near 30 s only after ~6 failed tries. */
const allBackTimeoutMs = 90_000;

/** Poll period of the workers' counters while clients come back. */
const backPollMs = 200;

/** Window of the peak rates: "per second". */
const rateWindowMs = 1_000;

/** Upper bound on a counters request. */
const countersTimeoutMs = 10_000;

export interface RestartFigure {
  readonly clients: number;
  readonly relayListeningAfterMs: number;
  readonly allBackAfterMs: number;
  readonly back: number;
  readonly peakResubscribedPerSecond: number;
  readonly peakReconnectAttemptsPerSecond: number;
  readonly reconnectAttempts: number;
}

/** Runs figure 5 on `relay` (which it kills); returns the figure and the relay started in its place. */
export async function measureRestart(
  workers: Workers,
  relay: RelayProcess,
  caps: RelayCaps,
): Promise<{ figure: RestartFigure; relay: RelayProcess }> {
  const wsUrl = relay.wsUrl;
  const failed = await openPairs(workers, 'restart', restartClients / 2, 'idle', { a: wsUrl, b: wsUrl }, true);
  if (failed > 0) throw new Error(`${failed} restart clients did not subscribe`);
  await waitForSocketCount(relay, restartClients);

  const killedAtMs = Date.now();
  await stopChild(relay.child, 'SIGKILL');
  const restarted = await startRelay(relay.port, caps);
  const relayListeningAfterMs = Date.now() - killedAtMs;

  const bothCounters = () =>
    Promise.all([
      workers.a.call('counters', { group: 'restart', reset: false }, countersTimeoutMs),
      workers.b.call('counters', { group: 'restart', reset: false }, countersTimeoutMs),
    ]);
  let counters = await bothCounters();
  try {
    await waitFor('every restart client subscribed again', allBackTimeoutMs, async () => {
      counters = await bothCounters();
      return counters.every((side) => side.subscribed === side.sockets) ? true : undefined;
    }, backPollMs);
  } catch {
    // reported as fewer than all back
  }
  const resubscribedAtMs = counters.flatMap((side) => side.resubscribedAtMs).filter((at) => at >= killedAtMs);
  const attemptsAtMs = counters.flatMap((side) => side.reconnectAttemptsAtMs).filter((at) => at >= killedAtMs);
  const back = counters.reduce((sum, side) => sum + side.subscribed, 0);
  await closePairs(workers, 'restart');
  return {
    relay: restarted,
    figure: {
      clients: restartClients,
      relayListeningAfterMs,
      allBackAfterMs: back === restartClients ? Math.max(...resubscribedAtMs) - killedAtMs : Number.NaN,
      back,
      peakResubscribedPerSecond: round(peakInWindow(resubscribedAtMs, rateWindowMs) * (1000 / rateWindowMs), 0),
      peakReconnectAttemptsPerSecond: round(peakInWindow(attemptsAtMs, rateWindowMs) * (1000 / rateWindowMs), 0),
      reconnectAttempts: attemptsAtMs.length,
    },
  };
}
