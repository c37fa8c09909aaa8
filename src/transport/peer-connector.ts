// Starts WebRTC connections for discovery, and keeps the peer status board (route, reconnecting,
// unreachable, DTLS check) up to date from each connection's reports.
import type { ConnectionReports, Logger, PeerLink } from '../core/ports';
import type { ConnectionBudget } from './connection-budget';
import type { IceConfig } from './ice-config';
import { isUnreachableError } from './link-error';
import { createWebRtcPeer, type WebRtcPeer } from './webrtc-peer';

/** What discovery asks for one connection. */
export interface ConnectRequest {
  readonly remotePeerId: string;
  readonly initiator: boolean;
  onSignal(data: object): void;
  onLink(link: PeerLink): void;
  onClose(error?: Error): void;
}

/** The parts every connection of the tab shares. */
export interface PeerConnectorDeps {
  readonly ice: IceConfig;
  readonly budget: ConnectionBudget;
  readonly board: ConnectionReports;
  readonly log: Logger;
}

/** Returns the function discovery calls to connect to a peer (null once the tab's budget is spent). */
export function createPeerConnector(deps: PeerConnectorDeps): (request: ConnectRequest) => WebRtcPeer | null {
  return (request) => {
    const peerId = request.remotePeerId;
    deps.board.connecting(peerId);
    const peer = createWebRtcPeer({
      ...request,
      ice: deps.ice,
      budget: deps.budget,
      log: deps.log,
      onLink: (link) => {
        deps.board.opened(peerId);
        request.onLink(link);
      },
      onRoute: (route) => deps.board.route(peerId, route),
      onFingerprint: (result) => deps.board.fingerprint(peerId, result),
      onRecovering: (on) => deps.board.recovering(peerId, on),
      onClose: (error) => {
        deps.board.closed(peerId, isUnreachableError(error));
        request.onClose(error);
      },
    });
    if (peer === null) deps.board.closed(peerId, false); // the budget is spent: nothing is connecting
    return peer;
  };
}
