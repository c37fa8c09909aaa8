// `npm run sim -- --trace MS`: a line every MS simulated milliseconds saying how busy the uplinks were
// since the last line and how far the downloaders got, to see where a run loses time against T*.
// Rooms of up to 12 peers get each peer's figures; larger ones the room's sums.
import type { SimPeer } from './sim-peer';

/** Peers listed one by one up to this many; past it a line gives the room's sums only. */
const maxPeersListed = 12;

/** Writes trace lines; keeps the byte counts of the previous line. */
export type Tracer = (nowMs: number, sharer: SimPeer, downloaders: readonly (SimPeer | null)[]) => string;

export function createTracer(chunkCount: number): Tracer {
  const lastSent = new Map<SimPeer, number>();
  const lastReceived = new Map<SimPeer, number>();
  let lastMs = 0;
  return (nowMs, sharer, downloaders) => {
    const seconds = Math.max(1e-9, (nowMs - lastMs) / 1000);
    lastMs = nowMs;
    const present = [sharer, ...downloaders].filter((p): p is SimPeer => p !== null && p.leftMs === null);
    const used = (peer: SimPeer): number => {
      const sent = peer.counters.dataSentBytes - (lastSent.get(peer) ?? 0);
      lastSent.set(peer, peer.counters.dataSentBytes);
      return sent / seconds / peer.capacity.upBytesPerSecond;
    };
    const usage = present.map((peer) => ({ peer, used: used(peer) }));
    const pct = (share: number): string => `${Math.round(share * 100)}%`;
    const head = `  t ${(nowMs / 1000).toFixed(1)} s`;
    if (present.length <= maxPeersListed) {
      const cells = usage.map(({ peer, used: share }) => {
        const up = `${(peer.capacity.upBytesPerSecond / 125_000).toFixed(0)}M`;
        return peer.sharer ? `S ${up} up ${pct(share)}` : `${up} up ${pct(share)} has ${peer.store.held.size}/${chunkCount} asks ${peer.counters.openRequests}`;
      });
      return `${head} | ${cells.join(' | ')}`;
    }
    const capacity = usage.reduce((sum, { peer }) => sum + peer.capacity.upBytesPerSecond, 0);
    const sent = usage.reduce((sum, { peer, used: share }) => sum + share * peer.capacity.upBytesPerSecond, 0);
    const sharerUse = usage.find(({ peer }) => peer.sharer)?.used ?? 0;
    const held = present.filter((p) => !p.sharer).reduce((sum, p) => sum + p.store.held.size, 0);
    const complete = present.filter((p) => p.completedMs !== null).length;
    // The downloaders' uplinks in four groups by capacity, slowest first: which ones the room leaves idle.
    const ranked = usage.filter(({ peer }) => !peer.sharer).sort((a, b) => a.peer.capacity.upBytesPerSecond - b.peer.capacity.upBytesPerSecond);
    const quarters = [0, 1, 2, 3].map((q) => {
      const group = ranked.slice(Math.floor((q * ranked.length) / 4), Math.floor(((q + 1) * ranked.length) / 4));
      const groupCapacity = group.reduce((sum, { peer }) => sum + peer.capacity.upBytesPerSecond, 0);
      return pct(group.reduce((sum, { peer, used: share }) => sum + share * peer.capacity.upBytesPerSecond, 0) / Math.max(1, groupCapacity));
    });
    // The three slowest downlinks still downloading: how full their downlinks were, and how far they got.
    const slowDown = present
      .filter((p) => !p.sharer && p.completedMs === null)
      .sort((a, b) => a.capacity.downBytesPerSecond - b.capacity.downBytesPerSecond)
      .slice(0, 3)
      .map((p) => {
        const got = p.counters.dataReceivedBytes - (lastReceived.get(p) ?? 0);
        return `↓${(p.capacity.downBytesPerSecond / 125_000).toFixed(1)}M ${pct(got / seconds / p.capacity.downBytesPerSecond)} has ${p.store.held.size} asks ${p.counters.openRequests}`;
      });
    for (const p of present) lastReceived.set(p, p.counters.dataReceivedBytes);
    const asks = ranked.reduce((sum, { peer }) => sum + peer.counters.openRequests, 0) / Math.max(1, ranked.length);
    return `${head} | room uplinks ${pct(sent / capacity)} (by quarter, slowest first: ${quarters.join(' ')}) | asks ${asks.toFixed(1)}/peer | sharer ${pct(sharerUse)} | held ${pct(held / Math.max(1, (present.length - 1) * chunkCount))} | ${complete}/${present.length - 1} complete | slowest downlinks: ${slowDown.join(', ')}`;
  };
}
