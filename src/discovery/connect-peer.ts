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

/** How long to stop connecting once the tab's connection budget is spent: the browser reclaims closed ones as it collects garbage. */
export const budgetRetryMs = 30_000;

/** A signal that starts a connection (not a candidate or an answer). */
export const isOffer = (data: unknown): boolean =>
  typeof data === 'object' && data !== null && (data as Record<string, unknown>).type === 'offer';
