// Which way a connection's bytes travel, read from the selected ICE candidate pair in getStats():
// straight between the peers (host, srflx or prflx candidates on both ends) or through a TURN relay.

import type { Route } from '../core/ports';

export type { Route };

/** The fields of a getStats() entry that route and path checks read. */
export type StatsEntry = {
  type?: string;
  id?: string;
  selectedCandidatePairId?: string;
  selected?: boolean;
  nominated?: boolean;
  state?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  candidateType?: string;
  bytesSent?: number;
  bytesReceived?: number;
};

/** The selected pair: the transport's pointer (the standard; Chromium), else a pair marked selected (Firefox), else a nominated one that succeeded. */
export function selectedPair(stats: RTCStatsReport): StatsEntry | null {
  const entries: StatsEntry[] = [];
  stats.forEach((entry: StatsEntry) => entries.push(entry));
  const pointer = entries.find((e) => e.type === 'transport' && e.selectedCandidatePairId)?.selectedCandidatePairId;
  const pairs = entries.filter((e) => e.type === 'candidate-pair');
  return (
    (pointer === undefined ? undefined : pairs.find((p) => p.id === pointer)) ??
    pairs.find((p) => p.selected === true) ??
    pairs.find((p) => p.nominated === true && p.state === 'succeeded') ??
    null
  );
}

/** The route of the selected candidate pair (found anew unless given), or null when none is selected (yet). */
export function routeFromStats(stats: RTCStatsReport, pair: StatsEntry | null = selectedPair(stats)): Route | null {
  if (!pair?.localCandidateId || !pair.remoteCandidateId) return null;
  const local = stats.get(pair.localCandidateId) as StatsEntry | undefined;
  const remote = stats.get(pair.remoteCandidateId) as StatsEntry | undefined;
  if (!local?.candidateType || !remote?.candidateType) return null;
  // Either end being a TURN allocation means every byte passes through the TURN server.
  return local.candidateType === 'relay' || remote.candidateType === 'relay' ? 'relay' : 'direct';
}
