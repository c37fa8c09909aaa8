// The only module that imports simple-peer: one WebRTC connection, exposed as a PeerLink
// with FIFO, batched sends and backpressure on the data channel's bufferedAmount (frame-sender.ts). A connection whose path
// breaks restarts ICE (ice-recovery.ts) and reports its route (route.ts).
import SimplePeer from 'simple-peer';
import type { Logger, PeerLink, PeerLinkHandlers } from '../core/ports';
import type { ConnectionBudget } from './connection-budget';
import { connectTimeoutMs, highWatermarkBytes, lowWatermarkBytes, maxQueuedBytesPerLink, pathCheckIntervalMs } from './constants';
import { checkRemoteFingerprint, type FingerprintCheck } from './fingerprint';
import type { IceConfig } from './ice-config';
import { createIceRecovery, type IceRestartAction, type IceState } from './ice-recovery';
import { createPathWatch, selectedPairCounters } from './path-watch';
import { routeFromStats, selectedPair, type Route } from './route';
import { linkError, type LinkErrorCode } from './link-error';
import { createFrameSender, deferToNextTask, type FrameChannel } from './frame-sender';
import { framesOfMessage } from '../core/protocol/batch';

/** What a WebRTC peer reports while it connects. */
export interface WebRtcPeerOptions {
  readonly remotePeerId: string;
  readonly initiator: boolean;
  readonly ice: IceConfig;
  /** The tab's count of RTCPeerConnections: each attempt takes one, and none is made once it is spent. */
  readonly budget: ConnectionBudget;
  /** An offer, answer, ICE candidate or restart request to deliver to the remote peer (through sealed signaling). */
  onSignal(data: object): void;
  /** The data channel is open. */
  onLink(link: PeerLink): void;
  /** The route of the selected candidate pair, when first known and whenever it changes. */
  onRoute?(route: Route): void;
  /** What the DTLS certificate check concluded ('mismatch' also ends the connection). */
  onFingerprint?(result: FingerprintCheck): void;
  /** The path broke and ICE is being restarted (true), or it is back (false). */
  onRecovering?(recovering: boolean): void;
  /** Structured log (no secrets). */
  readonly log?: Logger;
  /** The attempt or the connection ended (error with a `code`, timeout, or either side closing). */
  onClose(error?: Error): void;
}

/** A connection being set up or running. */
export interface WebRtcPeer {
  /** Feeds a signal from the remote peer; malformed signals end the attempt with an error. */
  signal(data: unknown): void;
  destroy(reason?: string): void;
}

// HACK: simple-peer has no public accessor for its RTCDataChannel, which backpressure needs
// (bufferedAmount + bufferedamountlow), nor for its RTCPeerConnection (stats, ICE restart), and it
// destroys the peer on ICE 'failed', which must instead start a restart. https://github.com/feross/simple-peer/issues/561
type Internals = {
  _channel: RTCDataChannel | null;
  _pc: RTCPeerConnection | null;
  _onIceStateChange(): void;
  _onConnectionStateChange(): void;
  negotiate(): void;
};

/** Our own signal: the answering side asks the initiator to restart ICE (only the offerer can). */
interface RestartRequest {
  readonly type: 'restart-ice';
  readonly relayOnly: boolean;
}

function isRestartRequest(data: Record<string, unknown>): data is Record<string, unknown> & RestartRequest {
  return data.type === 'restart-ice' && typeof data.relayOnly === 'boolean';
}

/** Offers, answers, ICE candidates (no media renegotiation): what simple-peer is fed. */
function isSignal(data: unknown): data is SimplePeer.SignalData {
  if (typeof data !== 'object' || data === null) return false;
  const signal = data as Record<string, unknown>;
  if (signal.type === 'offer' || signal.type === 'answer') return typeof signal.sdp === 'string';
  return signal.type === 'candidate' && typeof signal.candidate === 'object' && signal.candidate !== null;
}

/** Starts a WebRTC connection to one remote peer; null (nothing created) once the budget is spent. */
export function createWebRtcPeer(options: WebRtcPeerOptions): WebRtcPeer | null {
  if (!options.budget.take()) return null;
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    config: { iceServers: [...options.ice.current()] },
  });
  const internals = peer as unknown as Internals;
  const pc = internals._pc;
  if (pc) options.budget.track(pc);
  let handlers: PeerLinkHandlers | null = null;
  const early: Uint8Array[] = [];
  let ended = false;
  let route: Route | null = null;
  let connectedOnce = false;
  const fail = (code: LinkErrorCode, message: string): void => {
    peer.destroy(linkError(code, message));
  };
  const timeout = setTimeout(() => fail('ERR_CONNECT_TIMEOUT', 'connection timed out'), connectTimeoutMs);

  const channel = (): RTCDataChannel | null => internals._channel;
  const drained = (dc: RTCDataChannel, belowBytes: number): Promise<void> =>
    new Promise((resolve) => {
      dc.bufferedAmountLowThreshold = belowBytes;
      if (dc.bufferedAmount <= belowBytes) return resolve();
      const done = (): void => {
        dc.removeEventListener('bufferedamountlow', done);
        dc.removeEventListener('close', done);
        resolve();
      };
      dc.addEventListener('bufferedamountlow', done);
      dc.addEventListener('close', done);
    });

  const sender = createFrameSender({
    // RTCDataChannel.send is typed for ArrayBuffer-backed views; every frame is one (encodeFrame and packFrames allocate them).
    channel: () => channel() as FrameChannel | null,
    drained: (dc, belowBytes) => drained(dc as RTCDataChannel, belowBytes),
    defer: deferToNextTask,
    now: () => performance.now(),
    highWatermarkBytes,
    maxQueuedBytes: maxQueuedBytesPerLink,
    onOverflow: (queued) => fail('ERR_PEER_NOT_READING', `the peer reads nothing while it keeps asking (${Math.round(queued / 1048576)} MiB queued for it)`),
  });

  const link: PeerLink = {
    peerId: options.remotePeerId,
    send: (frame) => sender.send(frame),
    close(reason) {
      peer.destroy(reason ? new Error(reason) : undefined);
    },
    listen(h) {
      handlers = h;
      for (const frame of early.splice(0)) h.frame(frame);
    },
    roundTripMs: () => lastRoundTripMs,
  };

  const pathWatch = createPathWatch();
  let watchedPairId: string | null = null;
  let lastBytesReceived = 0;
  /** The selected pair's latest round trip (ms), answered ICE checks: the engine's upload pacer reads queueing delay from it. */
  let lastRoundTripMs: number | null = null;
  /** Reads the selected pair: reports its route when it changed, and tells recovery when its path stalls or flows again. */
  let checking = false;
  const checkPath = (): void => {
    // One read at a time: two overlapping reads could land out of order and fake a flow of bytes.
    if (ended || !pc || checking) return;
    checking = true;
    pc.getStats().finally(() => (checking = false)).then(
      (stats) => {
        if (ended) return;
        // One search for the selected pair serves both the route and the byte counters.
        const pair = selectedPair(stats);
        const next = routeFromStats(stats, pair);
        if (next !== null && next !== route) {
          route = next;
          options.log?.('link-route', { peerId: options.remotePeerId, route });
          options.onRoute?.(next);
        }
        const counters = selectedPairCounters(stats, pair);
        if (!counters || !connectedOnce) return;
        if (counters.roundTripMs !== undefined) lastRoundTripMs = counters.roundTripMs;
        if (counters.pairId !== watchedPairId) {
          watchedPairId = counters.pairId;
          lastBytesReceived = counters.bytesReceived;
          pathWatch.reset();
        }
        const flowing = counters.bytesReceived > lastBytesReceived;
        lastBytesReceived = counters.bytesReceived;
        const stalled = pathWatch.sample(Date.now(), counters);
        const iceState = pc.iceConnectionState;
        if (stalled && !recovery.recovering) {
          options.log?.('path-stalled', { peerId: options.remotePeerId });
          recovery.onPathStalled();
        } else if (flowing && recovery.recovering && (iceState === 'connected' || iceState === 'completed')) {
          // Bytes come back: the path (or a restarted one) works, whatever ICE said meanwhile.
          recovery.onPathFlowing();
        }
      },
      (error: unknown) => options.log?.('stats-failed', { peerId: options.remotePeerId, error: String(error) }),
    );
  };
  const pathTimer = setInterval(checkPath, pathCheckIntervalMs);

  const switchToRelayOnly = (): void => {
    if (!pc || pc.getConfiguration().iceTransportPolicy === 'relay') return;
    pc.setConfiguration({ ...pc.getConfiguration(), iceTransportPolicy: 'relay' });
  };
  /**
   * The initiator restarts (a new offer with fresh ICE credentials); the answerer asks it to. Going
   * TURN-only, the initiator tells the answerer first (signaling is ordered), so both ends gather
   * relay candidates only: a relay-to-reflexive pair is the kind that kept breaking.
   */
  const restart = ({ attempt, relayOnly }: IceRestartAction): void => {
    if (ended || !pc) return;
    options.log?.('ice-restart', { peerId: options.remotePeerId, attempt, relayOnly, initiator: options.initiator });
    if (relayOnly) switchToRelayOnly();
    options.onSignal({ type: 'restart-ice', relayOnly } satisfies RestartRequest);
    if (!options.initiator) return;
    pc.restartIce();
    internals.negotiate();
  };
  const recovery = createIceRecovery({
    initiator: options.initiator,
    hasTurn: () => options.ice.hasTurn(),
    restart,
    giveUp: () => fail('ERR_UNREACHABLE', 'peer unreachable: ICE restarts did not bring the connection back'),
    onRecovering: (on) => options.onRecovering?.(on),
  });
  // Live connections take refreshed TURN credentials for their next restart.
  const unsubscribeIce = options.ice.subscribe((servers) => {
    if (!ended && pc) pc.setConfiguration({ ...pc.getConfiguration(), iceServers: [...servers] });
  });

  // simple-peer destroys a connection on ICE or DTLS 'failed'; once it was up, a failed path is
  // instead a reason to restart (recovery gives up on its own bound).
  const onIceStateChange = internals._onIceStateChange.bind(peer);
  internals._onIceStateChange = () => {
    const state = pc?.iceConnectionState as IceState | undefined;
    options.log?.('ice-state', { peerId: options.remotePeerId, state });
    if (state !== undefined) recovery.onIceState(state);
    if (state === 'connected' || state === 'completed') {
      connectedOnce = true;
      checkPath();
    }
    if (state === 'failed' && recovery.recovering) return void peer.emit('iceStateChange', state, pc?.iceGatheringState);
    onIceStateChange();
  };
  const onConnectionStateChange = internals._onConnectionStateChange.bind(peer);
  internals._onConnectionStateChange = () => {
    if (pc?.connectionState === 'failed' && recovery.recovering) return;
    onConnectionStateChange();
  };

  peer.on('signal', (data: object) => options.onSignal(data));
  peer.on('connect', () => {
    clearTimeout(timeout);
    const dc = channel();
    if (dc) {
      dc.binaryType = 'arraybuffer';
      dc.bufferedAmountLowThreshold = lowWatermarkBytes;
    }
    checkPath();
    const verified = pc ? checkRemoteFingerprint(pc) : Promise.resolve<FingerprintCheck>('unavailable');
    verified.then(
      (result) => {
        options.log?.('dtls-fingerprint', { peerId: options.remotePeerId, result });
        if (ended) return;
        options.onFingerprint?.(result);
        if (result === 'mismatch') {
          fail('ERR_FINGERPRINT_MISMATCH', 'the peer’s DTLS certificate does not match its signaled fingerprint (someone in the middle?)');
          return;
        }
        options.onLink(link);
      },
      (error: unknown) => peer.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
  // A batch is unpacked here, so the engine gets single frames.
  peer.on('data', (data: Uint8Array) => {
    for (const frame of framesOfMessage(data)) {
      if (handlers) handlers.frame(frame);
      else early.push(frame);
    }
  });
  // An error is always followed by 'close', which reports it once.
  let lastError: Error | undefined;
  peer.on('error', (error: Error) => (lastError = error));
  peer.on('close', () => {
    if (ended) return;
    ended = true;
    sender.close();
    clearTimeout(timeout);
    clearInterval(pathTimer);
    recovery.dispose();
    unsubscribeIce();
    handlers?.close(lastError);
    options.onClose(lastError);
  });

  return {
    signal(data) {
      if (ended) return;
      if (typeof data === 'object' && data !== null && isRestartRequest(data as Record<string, unknown>)) {
        const { relayOnly } = data as RestartRequest;
        if (options.initiator) return recovery.onRestartRequested(relayOnly);
        // The initiator's notice of its restart: match its TURN-only choice (when we have TURN too).
        if (relayOnly && options.ice.hasTurn()) switchToRelayOnly();
        return;
      }
      if (!isSignal(data)) return fail('ERR_BAD_SIGNAL', 'malformed signal from peer');
      try {
        peer.signal(data);
      } catch (error) {
        peer.destroy(error instanceof Error ? error : new Error(String(error)));
      }
    },
    destroy(reason) {
      peer.destroy(reason ? new Error(reason) : undefined);
    },
  };
}
