// The connected peers with their upload and download speeds.
import { useEffect, useRef, useState } from 'react';
import type { PeerView } from '../core/swarm/types';
import type { PeerStatus } from '../app/peer-status';
import { formatRate } from './format';

/** Words for a route, for the person (the attribute keeps the machine value). */
const routeText = { direct: 'direct', relay: 'via TURN relay' } as const;

/** What a route means, as a tooltip. */
const routeTitle = {
  direct: 'Connected straight to this peer, browser to browser.',
  relay: 'Connected through the TURN relay: the traffic is end-to-end encrypted, but it takes a detour.',
} as const;

/** How often speeds are recomputed from the byte counters. */
const rateSampleMs = 1000;

/** Speeds are averaged over this many samples: a peer sends whole 1 MiB chunks in bursts, so one second is too jumpy. */
const rateWindowSamples = 3;

interface Rates {
  readonly up: number;
  readonly down: number;
}

interface Sample {
  readonly atMs: number;
  readonly peers: ReadonlyMap<string, PeerView>;
}

/** Turns byte counters into per-second rates averaged over the last few samples. */
function useRates(peers: readonly PeerView[]): ReadonlyMap<string, Rates> {
  const latest = useRef(peers);
  const samples = useRef<Sample[]>([]);
  const [rates, setRates] = useState<ReadonlyMap<string, Rates>>(new Map());
  useEffect(() => {
    latest.current = peers;
  }, [peers]);
  useEffect(() => {
    const timer = setInterval(() => {
      const now: Sample = { atMs: Date.now(), peers: new Map(latest.current.map((p) => [p.peerId, p])) };
      const oldest = samples.current[0];
      const next = new Map<string, Rates>();
      for (const peer of now.peers.values()) {
        const before = oldest?.peers.get(peer.peerId);
        const seconds = oldest ? (now.atMs - oldest.atMs) / 1000 : 0;
        next.set(peer.peerId, {
          up: before && seconds > 0 ? (peer.uploadedBytes - before.uploadedBytes) / seconds : 0,
          down: before && seconds > 0 ? (peer.downloadedBytes - before.downloadedBytes) / seconds : 0,
        });
      }
      samples.current = [...samples.current, now].slice(-rateWindowSamples);
      setRates(next);
    }, rateSampleMs);
    return () => clearInterval(timer);
  }, []);
  return rates;
}

/** Props: the connected peers, and this tab's own id. */
export interface PeerListProps {
  readonly peers: readonly PeerView[];
  readonly myPeerId: string;
  readonly bannedCount: number;
  /** Connection statuses (route, reconnecting, unreachable) by peer id. */
  readonly statuses: ReadonlyMap<string, PeerStatus>;
}

/** The peer count and the list of peers. */
export function PeerList({ peers, myPeerId, bannedCount, statuses }: PeerListProps) {
  const rates = useRates(peers);
  const linked = new Set(peers.map((p) => p.peerId));
  const unreachable = [...statuses.values()].filter((s) => s.state === 'unreachable' && !linked.has(s.peerId));
  return (
    <section className="peers">
      <h2>
        Peers <span data-testid="peer-count">{peers.length}</span>
      </h2>
      <p className="peers__me">
        You are <span data-testid="my-peer-id" data-peer-id={myPeerId}>{myPeerId.slice(0, 8)}</span>
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
            const rate = rates.get(peer.peerId);
            const status = statuses.get(peer.peerId);
            const route = status?.route ?? null;
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
              >
                <span className="peers__id">{peer.peerId.slice(0, 8)}</span>
                <span>↑ {formatRate(rate?.up ?? 0)}</span>
                <span>↓ {formatRate(rate?.down ?? 0)}</span>
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
          Couldn&apos;t reach peer {status.peerId.slice(0, 8)}. Connections between some networks need a TURN server: see
          Deploy in the README.
        </p>
      ))}
    </section>
  );
}
