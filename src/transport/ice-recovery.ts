// What a connection does when its network path breaks after it was up: restart ICE through the
// sealed signaling (new candidates, same DTLS and data channel, so transfers simply continue),
// again a few times, through TURN only once direct paths keep failing, and give up after a bound.

/** A connection's ICE state, as RTCPeerConnection.iceConnectionState reports it. */
export type IceState = 'new' | 'checking' | 'connected' | 'completed' | 'disconnected' | 'failed' | 'closed';

/**
 * Wait before the initiator restarts: a blip often heals by itself at once, and a restart is cheap
 * (one sealed offer and answer; the DTLS session and data channel stay).
 */
export const initiatorRestartDelayMs = 1_000;

/** The answering side asks the initiator later, so one restart (the initiator's) usually covers both. */
export const answererRestartDelayMs = 2_500;

/** After a stall the path watch saw (it already waited out its own window), the answering side asks this soon. */
export const stalledAnswererDelayMs = 500;

/** A restart that has not reconnected after this long is followed by another. */
export const restartAttemptMs = 8_000;

/** From this restart on, gather only TURN candidates (when TURN is configured): direct paths keep breaking. */
export const relayOnlyFromAttempt = 2;

/**
 * Restarts are counted across breaks until the link has stayed up this long: a path that heals and
 * breaks again every few seconds (seen across symmetric NATs) must still move on to TURN only.
 */
export const stableResetMs = 60_000;

/**
 * Give up this long after the path broke: the peer is gone, or no path exists any more. Until then
 * its open requests stay claimed (the engine's stall timeout moves them elsewhere after 10 s).
 */
export const recoveryGiveUpMs = 30_000;

/** How a restart is carried out (the transport's part). */
export interface IceRestartAction {
  /** Attempt number, from 1. */
  readonly attempt: number;
  /** Gather TURN candidates only. */
  readonly relayOnly: boolean;
}

/** Timers, injected so every path is tested with fake time. */
export interface RecoveryTimers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

/** What the recovery is built from. */
export interface IceRecoveryOptions {
  readonly initiator: boolean;
  /** True when TURN servers are configured, so a relay-only restart can help. */
  readonly hasTurn: () => boolean;
  /** Restart ICE (the initiator) or ask the initiator to (the answerer). */
  readonly restart: (action: IceRestartAction) => void;
  /** No restart brought the path back. */
  readonly giveUp: () => void;
  /** The path broke, or came back: for the person ("reconnecting…") and the log. */
  readonly onRecovering?: (recovering: boolean) => void;
  readonly timers?: RecoveryTimers;
}

/** Feeds ICE states in; runs restarts until the connection is back or the bound is reached. */
export interface IceRecovery {
  onIceState(state: IceState): void;
  /** The remote side asked for a restart: do it now (the initiator only). */
  onRestartRequested(relayOnly: boolean): void;
  /**
   * Bytes go out and nothing comes back (path-watch.ts), while ICE may still say 'connected'.
   * Recovery then ends only on `onPathFlowing`: ICE states say nothing about such a path.
   */
  onPathStalled(): void;
  /** Bytes come back on the selected pair again. */
  onPathFlowing(): void;
  readonly recovering: boolean;
  dispose(): void;
}

const defaultTimers: RecoveryTimers = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Creates the recovery for one connection (call `onIceState` from its state-change events). */
export function createIceRecovery(options: IceRecoveryOptions): IceRecovery {
  const timers = options.timers ?? defaultTimers;
  let connectedOnce = false;
  let recovering = false;
  let attempt = 0;
  let relayOnly = false;
  let nextRestart: unknown = null;
  let giveUpTimer: unknown = null;
  let stableTimer: unknown = null;
  let disposed = false;
  /** The current recovery began with a stall, so only flowing bytes end it. */
  let stallTriggered = false;

  const clearTimers = (): void => {
    if (nextRestart !== null) timers.clear(nextRestart);
    if (giveUpTimer !== null) timers.clear(giveUpTimer);
    nextRestart = giveUpTimer = null;
  };

  const restartNow = (): void => {
    nextRestart = null;
    if (disposed || !recovering) return;
    attempt += 1;
    if (attempt >= relayOnlyFromAttempt && options.hasTurn()) relayOnly = true;
    options.restart({ attempt, relayOnly });
    nextRestart = timers.set(restartNow, restartAttemptMs);
  };

  const startRecovering = (firstRestartDelayMs: number): void => {
    if (recovering) return;
    recovering = true;
    if (stableTimer !== null) timers.clear(stableTimer);
    stableTimer = null;
    options.onRecovering?.(true);
    nextRestart = timers.set(restartNow, firstRestartDelayMs);
    giveUpTimer = timers.set(() => {
      giveUpTimer = null;
      if (disposed) return;
      clearTimers();
      options.giveUp();
    }, recoveryGiveUpMs);
  };

  const recovered = (): void => {
    recovering = false;
    stallTriggered = false;
    clearTimers();
    stableTimer = timers.set(() => {
      stableTimer = null;
      attempt = 0;
    }, stableResetMs);
    options.onRecovering?.(false);
  };

  return {
    onIceState(state) {
      if (disposed) return;
      if (state === 'connected' || state === 'completed') {
        connectedOnce = true;
        if (recovering && !stallTriggered) recovered();
      } else if ((state === 'disconnected' || state === 'failed') && connectedOnce) {
        startRecovering(options.initiator ? initiatorRestartDelayMs : answererRestartDelayMs);
      }
    },
    onRestartRequested(remoteRelayOnly) {
      if (disposed || !options.initiator) return;
      if (remoteRelayOnly && options.hasTurn()) relayOnly = true;
      if (!recovering) startRecovering(0);
      if (nextRestart !== null) timers.clear(nextRestart);
      restartNow();
    },
    onPathStalled() {
      if (disposed || !connectedOnce || recovering) return;
      stallTriggered = true;
      startRecovering(options.initiator ? 0 : stalledAnswererDelayMs);
    },
    onPathFlowing() {
      if (!disposed && recovering) recovered();
    },
    get recovering() {
      return recovering;
    },
    dispose() {
      disposed = true;
      clearTimers();
      if (stableTimer !== null) timers.clear(stableTimer);
    },
  };
}
