// The room connector's transport in the simulation (its ConnectPeer): offer and answer travel as real
// signed envelopes through the simulated relay (sim-relay.ts); once the initiator has the answer, the connection
// opens after a handshake of two round trips (ICE and DTLS/SCTP, no loss), as a link pair over the
// modelled network. Closing either end ends both, as a real connection does; an attempt whose far
// side never answers ends after the transport's connect timeout.
import type { Clock, TimerHandle } from '../../src/core/clock';
import type { ConnectPeer } from '../../src/discovery/connect-peer';
import type { PeerLink } from '../../src/core/ports';
import { connectTimeoutMs } from '../../src/transport/constants';
import type { Host, Network } from './network';
import { createSimLinkPair, type LinkTap } from './sim-link';

/** Round trips a connection takes to open once the answer is in: ICE checks, then DTLS and SCTP. */
export const handshakeRoundTrips = 2;

/** A peer as the transport sees it: where it sits and how far it is from the internet core. */
export interface SimEndpoint {
  readonly peerId: string;
  readonly host: Host;
  /** One-way latency of its access link: a link's latency is the sum of both ends'. */
  readonly accessLatencyMs: number;
  /** Watches its links (the simulation's metrics). */
  readonly tap: (remotePeerId: string) => LinkTap;
}

/** Data-channel buffer limits, already scaled with the payload. */
export interface Watermarks {
  readonly highWatermarkBytes: number;
  readonly lowWatermarkBytes: number;
}

interface AttemptEnd {
  readonly onLink: (link: PeerLink) => void;
  readonly onClose: (error?: Error) => void;
  link: PeerLink | null;
  ended: boolean;
  timer: TimerHandle | null;
}

/** The simulated WebRTC of a whole room. */
export function createSimWebRtc(network: Network, clock: Clock, watermarks: Watermarks) {
  const endpoints = new Map<string, SimEndpoint>();
  const ends = new Map<string, AttemptEnd>();
  const key = (me: string, remote: string): string => `${me}|${remote}`;
  let opened = 0;

  const finish = (me: string, remote: string, end: AttemptEnd | undefined, error?: Error): void => {
    if (!end || end.ended) return;
    end.ended = true;
    if (end.timer !== null) clock.clearTimeout(end.timer);
    end.timer = null;
    if (ends.get(key(me, remote)) === end) ends.delete(key(me, remote));
    end.onClose(error);
  };

  const open = (me: SimEndpoint, remote: SimEndpoint): void => {
    const [mine, theirs] = [ends.get(key(me.peerId, remote.peerId)), ends.get(key(remote.peerId, me.peerId))];
    if (!mine || !theirs || mine.ended || theirs.ended) return;
    const pair = createSimLinkPair(
      network,
      clock,
      {
        a: { peerId: me.peerId, host: me.host, tap: me.tap(remote.peerId), onHangUp: (error) => finish(me.peerId, remote.peerId, mine, error) },
        b: { peerId: remote.peerId, host: remote.host, tap: remote.tap(me.peerId), onHangUp: (error) => finish(remote.peerId, me.peerId, theirs, error) },
      },
      { latencyMs: me.accessLatencyMs + remote.accessLatencyMs, ...watermarks },
    );
    for (const end of [mine, theirs]) {
      if (end.timer !== null) clock.clearTimeout(end.timer);
      end.timer = null;
    }
    [mine.link, theirs.link] = [pair.a, pair.b];
    opened++;
    mine.onLink(pair.a);
    theirs.onLink(pair.b);
  };

  /** Ends an attempt or connection from `me`'s side; the far side hears it (a link: one latency later). */
  const hangUp = (me: string, remote: string): void => {
    const mine = ends.get(key(me, remote));
    if (mine?.link) return mine.link.close();
    const theirs = ends.get(key(remote, me));
    finish(me, remote, mine);
    if (theirs && !theirs.link) clock.setTimeout(() => finish(remote, me, theirs), 0);
  };

  const forPeer =
    (me: SimEndpoint): ConnectPeer =>
    (options) => {
      const remote = options.remotePeerId;
      finish(me.peerId, remote, ends.get(key(me.peerId, remote))); // a new attempt replaces an old one
      const end: AttemptEnd = { onLink: options.onLink, onClose: options.onClose, link: null, ended: false, timer: null };
      end.timer = clock.setTimeout(() => {
        end.timer = null;
        if (!end.link) finish(me.peerId, remote, end, new Error('connect timeout'));
      }, connectTimeoutMs);
      ends.set(key(me.peerId, remote), end);
      if (options.initiator) clock.setTimeout(() => !end.ended && options.onSignal({ type: 'offer' }), 0);
      return {
        signal(data) {
          const type = (data as { type?: unknown }).type;
          if (end.ended || end.link) return;
          if (type === 'offer' && !options.initiator) options.onSignal({ type: 'answer' });
          const other = endpoints.get(remote);
          if (type !== 'answer' || !options.initiator || !other) return;
          const rttMs = 2 * (me.accessLatencyMs + other.accessLatencyMs);
          clock.setTimeout(() => open(me, other), handshakeRoundTrips * rttMs);
        },
        destroy: () => hangUp(me.peerId, remote),
      };
    };

  return {
    /** The ConnectPeer of a peer joining the room. */
    join(endpoint: SimEndpoint): ConnectPeer {
      endpoints.set(endpoint.peerId, endpoint);
      return forPeer(endpoint);
    },
    /** Connections opened so far. */
    get opened() {
      return opened;
    },
  };
}
