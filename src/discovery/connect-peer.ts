// How the room connector starts WebRTC connections: the transport's side of the contract.
import type { PeerLink } from '../core/ports';

/** One WebRTC connection being set up or running, as the connector drives it. */
export interface PeerConnection {
  signal(data: unknown): void;
  destroy(reason?: string): void;
}

/**
 * How the connector starts one WebRTC connection (the transport, injected by main.tsx). Returns
 * null when it will not start one (the tab's connection budget is spent): the connector then stops
 * connecting for `budgetRetryMs` (closed connections come back to the budget as the browser reclaims them).
 */
export type ConnectPeer = (options: {
  remotePeerId: string;
  initiator: boolean;
  onSignal(data: object): void;
  onLink(link: PeerLink): void;
  onClose(error?: Error): void;
}) => PeerConnection | null;
