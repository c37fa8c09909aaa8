// The only module that imports simple-peer: one WebRTC connection, exposed as a PeerLink
// with FIFO sends and backpressure on the data channel's bufferedAmount.
import SimplePeer from 'simple-peer';
import type { Logger, PeerLink, PeerLinkHandlers } from '../core/ports';
import type { ConnectionBudget } from './connection-budget';
import { checkRemoteFingerprint, type FingerprintCheck } from './fingerprint';
import { connectTimeoutMs, disconnectedCloseMs, highWatermarkBytes, lowWatermarkBytes } from './constants';

/** What a WebRTC peer reports while it connects. */
export interface WebRtcPeerOptions {
  readonly remotePeerId: string;
  readonly initiator: boolean;
  readonly iceServers: readonly RTCIceServer[];
  /** The tab's count of RTCPeerConnections: each attempt takes one, and none is made once it is spent. */
  readonly budget: ConnectionBudget;
  /** An offer, answer or ICE candidate to deliver to the remote peer (through sealed signaling). */
  onSignal(data: object): void;
  /** The data channel is open. */
  onLink(link: PeerLink): void;
  /** Structured log (no secrets). */
  readonly log?: Logger;
  /** The attempt or the connection ended (error, timeout, or either side closing). */
  onClose(error?: Error): void;
}

/** A connection being set up or running. */
export interface WebRtcPeer {
  /** Feeds a signal from the remote peer; malformed signals end the attempt with an error. */
  signal(data: unknown): void;
  destroy(reason?: string): void;
}

// HACK: simple-peer has no public accessor for its RTCDataChannel, which backpressure needs
// (bufferedAmount + bufferedamountlow). https://github.com/feross/simple-peer/issues/561
type WithChannel = { _channel: RTCDataChannel | null; _pc: RTCPeerConnection | null };

/** Offers, answers and ICE candidates are all we exchange (no renegotiation). */
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
    config: { iceServers: [...options.iceServers] },
  });
  let handlers: PeerLinkHandlers | null = null;
  const early: Uint8Array[] = [];
  let ended = false;
  let queueTail: Promise<void> = Promise.resolve();
  const timeout = setTimeout(() => peer.destroy(new Error('connection timed out')), connectTimeoutMs);

  const channel = (): RTCDataChannel | null => (peer as unknown as WithChannel)._channel;
  const drained = (dc: RTCDataChannel): Promise<void> =>
    new Promise((resolve) => {
      const done = (): void => {
        dc.removeEventListener('bufferedamountlow', done);
        dc.removeEventListener('close', done);
        resolve();
      };
      dc.addEventListener('bufferedamountlow', done);
      dc.addEventListener('close', done);
    });

  const sendNow = async (frame: Uint8Array): Promise<void> => {
    let dc = channel();
    while (!ended && dc && dc.readyState === 'open' && dc.bufferedAmount > highWatermarkBytes) {
      await drained(dc);
      dc = channel();
    }
    if (ended || !dc || dc.readyState !== 'open') throw new Error('link closed');
    peer.send(frame);
  };

  const link: PeerLink = {
    peerId: options.remotePeerId,
    send(frame) {
      const sent = queueTail.then(() => sendNow(frame));
      // The caller gets `sent` and handles its failure; the chain itself must keep going.
      queueTail = sent.catch(() => undefined);
      return sent;
    },
    close(reason) {
      peer.destroy(reason ? new Error(reason) : undefined);
    },
    listen(h) {
      handlers = h;
      for (const frame of early.splice(0)) h.frame(frame);
    },
  };

  peer.on('signal', (data: object) => options.onSignal(data));
  peer.on('connect', () => {
    clearTimeout(timeout);
    const dc = channel();
    if (dc) {
      dc.binaryType = 'arraybuffer';
      dc.bufferedAmountLowThreshold = lowWatermarkBytes;
    }
    const pc = (peer as unknown as WithChannel)._pc;
    const verified = pc ? checkRemoteFingerprint(pc) : Promise.resolve<FingerprintCheck>('unavailable');
    verified.then(
      (result) => {
        options.log?.('dtls-fingerprint', { peerId: options.remotePeerId, result });
        if (ended) return;
        if (result === 'mismatch') {
          peer.destroy(new Error('the peer’s DTLS certificate does not match its signaled fingerprint (someone in the middle?)'));
          return;
        }
        options.onLink(link);
      },
      (error: unknown) => peer.destroy(error instanceof Error ? error : new Error(String(error))),
    );
  });
  peer.on('data', (data: Uint8Array) => {
    if (handlers) handlers.frame(data);
    else early.push(data);
  });
  // An error is always followed by 'close', which reports it once.
  let lastError: Error | undefined;
  peer.on('error', (error: Error) => (lastError = error));
  let disconnectedTimer: ReturnType<typeof setTimeout> | null = null;
  peer.on('iceStateChange', (state: RTCIceConnectionState) => {
    if (disconnectedTimer !== null) clearTimeout(disconnectedTimer);
    disconnectedTimer = null;
    if (state === 'disconnected') {
      disconnectedTimer = setTimeout(() => peer.destroy(new Error('peer unreachable (ICE disconnected)')), disconnectedCloseMs);
    }
  });
  peer.on('close', () => {
    if (disconnectedTimer !== null) clearTimeout(disconnectedTimer);
    if (ended) return;
    ended = true;
    clearTimeout(timeout);
    handlers?.close(lastError);
    options.onClose(lastError);
  });

  return {
    signal(data) {
      if (ended) return;
      if (!isSignal(data)) {
        peer.destroy(new Error('malformed signal from peer'));
        return;
      }
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
