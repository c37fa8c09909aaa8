// The connected peers with their upload and download speeds (the engine averages them over a few
// seconds, since a peer sends whole 1 MiB chunks in bursts and one second is too jumpy).
import { shortId, uiIdChars } from '../core/ids';
import type { PeerView } from '../core/swarm/view-types';
import type { PeerStatus } from '../app/peer-status';
import { formatRate } from './format';

/** Words for a route, for the person (the attribute keeps the machine value). */
const routeText = { direct: 'direct', relay: 'via TURN relay' } as const;

/** What a route means, as a tooltip. */
const routeTitle = {
  direct: 'Connected straight to this peer, browser to browser.',
  relay: 'Connected through the TURN relay: the traffic is end-to-end encrypted, but it takes a detour.',
} as const;

/** Props: the connected peers, and this tab's own id. */
export interface PeerListProps {
  readonly peers: readonly PeerView[];
  readonly myPeerId: string;
  readonly bannedCount: number;
  /** Connection statuses (route, reconnecting, unreachable) by peer id. */
  readonly statuses: ReadonlyMap<string, PeerStatus>;
  /** The names peers chose to show, by peer id (said in their signed hellos). */
  readonly names: ReadonlyMap<string, string>;
}

/** The peer count and the list of peers. */
export function PeerList({ peers, myPeerId, bannedCount, statuses, names }: PeerListProps) {
  const linked = new Set(peers.map((p) => p.peerId));
  const unreachable = [...statuses.values()].filter((s) => s.state === 'unreachable' && !linked.has(s.peerId));
  return (
    <section className="peers">
      <h2>
        Peers <span data-testid="peer-count">{peers.length}</span>
      </h2>
      <p className="peers__me">
        You are <span data-testid="my-peer-id" data-peer-id={myPeerId}>{shortId(myPeerId, uiIdChars)}</span>
      </p>
      {bannedCount > 0 && (
        <p className="peers__banned" data-testid="peer-banned">
          Disconnected {bannedCount} {bannedCount === 1 ? 'peer that' : 'peers that'} sent corrupt data; their data was thrown away.
        </p>
      )}
      {peers.length === 0 ? (
        <p className="peers__empty">Nobody else is here yet. Send the room link to someone.</p>
      ) : (
        <ul className="peers__list">
          {peers.map((peer) => {
            const status = statuses.get(peer.peerId);
            const route = status?.route ?? null;
            const name = names.get(peer.peerId);
            return (
              <li
                key={peer.peerId}
                className="peers__peer"
                data-testid="peer"
                data-peer-id={peer.peerId}
                data-downloaded-bytes={peer.downloadedBytes}
                data-uploaded-bytes={peer.uploadedBytes}
                {...(route ? { 'data-route': route } : {})}
                {...(status?.fingerprint ? { 'data-dtls': status.fingerprint } : {})}
                {...(name !== undefined ? { 'data-name': name } : {})}
              >
                {name !== undefined && <span className="peers__name">{name}</span>}
                <span className="peers__id">{shortId(peer.peerId, uiIdChars)}</span>
                <span>
                  <span aria-hidden="true">↑</span>
                  <span className="visually-hidden">sending</span> {formatRate(peer.upBytesPerSecond)}
                </span>
                <span>
                  <span aria-hidden="true">↓</span>
                  <span className="visually-hidden">receiving</span> {formatRate(peer.downBytesPerSecond)}
                </span>
                {route && (
                  <span className={`peers__route peers__route--${route}`} title={routeTitle[route]}>
                    {routeText[route]}
                  </span>
                )}
                {status?.state === 'reconnecting' && <span className="peers__state">reconnecting…</span>}
              </li>
            );
          })}
        </ul>
      )}
      {unreachable.map((status) => (
        <p key={status.peerId} className="peers__unreachable" data-testid="peer-unreachable" data-peer-id={status.peerId}>
          Couldn&apos;t reach peer {shortId(status.peerId, uiIdChars)}. Connections between some networks need a TURN server: see
          Deploy in the README.
        </p>
      ))}
    </section>
  );
}
