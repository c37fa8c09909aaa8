// Which chunk to ask of which peer, given what everyone holds and what is already asked: rarest
// first, a seeder kept for what only seeders have, endgame duplicates at the end. Pure (plain
// inputs in, a list of requests out), so it is tested with tables; downloads.ts applies the result.
import { chunkKey, type ChunkRef } from './claims';
import { maxRequestBytesPerPeer, maxRequestsPerChunkInEndgame, maxRequestsPerPeer, minRequestsPerPeer, requestPipelineMs, streamWindowBytes } from './constants';
import { pickChunk } from './picker';

/** The chunks one side holds (a Bitfield fits). */
export interface HeldChunks {
  has(chunkIndex: number): boolean;
  count(): number;
}

/** An item being downloaded. */
export interface ChooserItem {
  readonly itemId: string;
  readonly chunkCount: number;
  readonly chunkBytes: number;
  /** What this peer already holds. */
  readonly have: HeldChunks;
  /** Per chunk, how many connected peers hold it. */
  readonly availability: ArrayLike<number>;
  /** Media is playing from `from`: chunks from..to-1 are asked first, in order, of anyone holding them. */
  readonly focus?: { readonly from: number; readonly to: number };
}

/** A connected peer, as the chooser sees it. */
export interface ChooserPeer {
  readonly peerId: string;
  /** Its measured throughput to us, which sizes how many requests it gets. */
  readonly bytesPerSecond: number;
  /** What it holds, by item id. */
  readonly holds: ReadonlyMap<string, HeldChunks>;
  /** "itemId:chunk" it refused or sent corrupt: not asked of it. */
  readonly refused: ReadonlySet<string>;
  /** "itemId:chunk" not to ask of it before this time (ms). */
  readonly avoidUntil: ReadonlyMap<string, number>;
  /** A request to it stalled lately: what it holds does not keep a seeder from being asked. */
  readonly unreliable?: boolean;
  /** Its rate when it last sent us data (0 or absent: never): a peer we asked nothing of lately may still be fast. */
  readonly lastBytesPerSecond?: number;
}

/** An open request: one chunk asked of one peer. */
export interface ChunkRequest extends ChunkRef {
  readonly peerId: string;
}

/** A request already open, with the bytes of its chunk still to come (absent: the whole chunk). */
export interface OpenChunkRequest extends ChunkRequest {
  readonly remainingBytes?: number;
}

/** Everything the choice depends on. */
export interface ChooserInput {
  /**
   * The items being downloaded, in the order to fill them; walked once per peer, and only until that
   * peer's slots are full (so it may be a lazy sequence over many items).
   */
  readonly items: Iterable<ChooserItem>;
  /** Every connected peer, in the order to ask them (the caller shuffles it for fairness). */
  readonly peers: readonly ChooserPeer[];
  /** Requests already open. */
  readonly open: readonly OpenChunkRequest[];
  /** Chunks verified and being written: claimed, though no request is open. */
  readonly storing: readonly ChunkRef[];
  readonly nowMs: number;
  /** A uniform random number in [0, 1), for fair tie-breaks. */
  readonly random: () => number;
}

/**
 * Seeders kept for what only seeders hold while no more than this many are connected: a room's first
 * seeder (the sharer) is its scarcest upload. With more, all are asked like anyone (simulated flash crowd
 * of 100, seed 22: the last peer done at 2.04× T* against 2.32× keeping every seeder; the lab of issue 22
 * unchanged at 1.26-1.32× over three seeds).
 */
export const maxScarceSeeders = 1;

/**
 * In endgame a chunk is asked a second time only of a peer expected to deliver it at least this many times
 * sooner than the peer it is asked of (by the bytes each still owes us and its rate). Where our downlink is
 * what limits us, every holder is about as fast, and a second copy only halves the rate of both. Simulated,
 * seed 22: Poisson arrivals of 100 from 8.0 % of the bytes received in cancelled copies to 4.2 % (5.8 % with
 * a factor of 2); the flash crowd of 100 from 1.46 to 1.37× T*.
 */
export const endgameSoonerFactor = 4;

/** A peer's rate for estimating when it delivers: the larger of now and when it last sent (0: unknown). */
const deliveryRate = (peer: ChooserPeer | undefined): number => Math.max(peer?.bytesPerSecond ?? 0, peer?.lastBytesPerSecond ?? 0);

/**
 * How many requests to keep open to a peer: enough to cover `requestPipelineMs` of its throughput, within
 * the caps. A peer measured too slow to send one chunk in that time gets one: a second would wait seconds
 * behind the first, a chunk claimed from the slowest holder while faster ones hold it too (simulated lab of
 * issue 22, eight seeds: 1.31× T* against 1.35× with two).
 */
export function requestDepth(bytesPerSecond: number, chunkBytes: number): number {
  if (bytesPerSecond > 0 && (bytesPerSecond * requestPipelineMs) / 1000 < chunkBytes) return 1;
  const wanted = 1 + Math.ceil((bytesPerSecond * requestPipelineMs) / 1000 / chunkBytes);
  const cap = Math.min(maxRequestsPerPeer, Math.max(minRequestsPerPeer, Math.floor(maxRequestBytesPerPeer / chunkBytes)));
  return Math.min(cap, Math.max(minRequestsPerPeer, wanted));
}

/** Chunks in the in-order window of media being played: `windowBytes` of them, at least two. */
export function windowChunks(chunkBytes: number, windowBytes = streamWindowBytes): number {
  return Math.max(2, Math.ceil(windowBytes / Math.max(1, chunkBytes)));
}

/** Whether a peer is not to be asked for a chunk now (it refused it, or a request to it stalled lately). */
export function isAvoided(peer: ChooserPeer, key: string, nowMs: number): boolean {
  if (peer.refused.has(key)) return true;
  const until = peer.avoidUntil.get(key);
  return until !== undefined && until > nowMs;
}

/** The new requests to send, in order: each peer's free slots filled, item by item. */
export function chooseRequests(input: ChooserInput): ChunkRequest[] {
  const { nowMs, random } = input;
  const openPerPeer = new Map<string, number>();
  const askedOf = new Map<string, string[]>();
  const claimedPerItem = new Map<string, Set<string>>();
  const claim = (ref: ChunkRef, peerId: string | null): void => {
    const key = chunkKey(ref.itemId, ref.chunkIndex);
    const claimed = claimedPerItem.get(ref.itemId) ?? new Set<string>();
    claimed.add(key);
    claimedPerItem.set(ref.itemId, claimed);
    if (peerId === null) return;
    openPerPeer.set(peerId, (openPerPeer.get(peerId) ?? 0) + 1);
    askedOf.set(key, [...(askedOf.get(key) ?? []), peerId]);
  };
  /** Bytes each peer still owes us on open requests (those chosen now counted whole). */
  const owedBy = new Map<string, number>();
  const owe = (peerId: string, bytes: number): void => void owedBy.set(peerId, (owedBy.get(peerId) ?? 0) + bytes);
  const peerById = new Map(input.peers.map((p) => [p.peerId, p]));
  for (const request of input.open) {
    claim(request, request.peerId);
    if (request.remainingBytes !== undefined) owe(request.peerId, request.remainingBytes);
  }
  for (const ref of input.storing) claim(ref, null);

  /** Connected peers holding the whole item: in a young swarm the scarce upload everyone leans on. */
  const seedersOf = (item: ChooserItem): number =>
    input.peers.filter((p) => p.holds.get(item.itemId)?.count() === item.chunkCount).length;

  const pickFor = (peer: ChooserPeer, item: ChooserItem): number | null => {
    const { itemId, chunkCount } = item;
    const theirs = peer.holds.get(itemId);
    if (!theirs) return null;
    const usable = (i: number): boolean => !item.have.has(i) && theirs.has(i) && !isAvoided(peer, chunkKey(itemId, i), nowMs);
    // The only seeder in sight is asked only for chunks no other downloader holds: those can come from
    // the others, and its upload is kept for what only it has (outside endgame). Once a second one has
    // completed, seeders' upload is no longer the scarcest, and keeping them for rare chunks left the
    // finished fast uplinks of a flash crowd idle while the last downloaders queued on slow ones.
    const isSeeder = theirs.count() === chunkCount;
    const seeders = isSeeder ? seedersOf(item) : 0;
    const heldByOthers = (i: number): boolean => {
      if (!isSeeder || seeders > maxScarceSeeders || (item.availability[i] ?? 0) <= seeders) return false;
      const key = chunkKey(itemId, i);
      return input.peers.some((other) => {
        const field = other.holds.get(itemId);
        return other !== peer && other.unreliable !== true && field?.has(i) === true && field.count() < chunkCount && !other.refused.has(key);
      }); // when its other holders stalled lately or refused the chunk, the seeder it is; one that only turned us
    // away for now (busy sending the chunk to another peer) still holds it, and we wait for it or the other
    };
    const claimed = claimedPerItem.get(itemId);
    if (item.focus !== undefined) {
      // Playback waits on the window: its chunks go first and in order, a seeder's upload included.
      const end = Math.min(chunkCount, item.focus.to);
      for (let i = Math.max(0, item.focus.from); i < end; i++) if (usable(i) && !claimed?.has(chunkKey(itemId, i))) return i;
    }
    const fresh = pickChunk({
      chunkCount,
      isCandidate: (i) => usable(i) && !claimed?.has(chunkKey(itemId, i)) && !heldByOthers(i),
      cost: (i) => item.availability[i] ?? 0,
      random,
    });
    if (fresh !== null) return fresh;
    // Endgame: every missing chunk is claimed; duplicate the requests this peer would answer clearly sooner.
    if (item.have.count() + (claimed?.size ?? 0) < chunkCount) return null;
    const askedCount = (i: number): number => askedOf.get(chunkKey(itemId, i))?.length ?? 0;
    const ownRate = deliveryRate(peer);
    const ownEtaMs = ownRate > 0 ? ((owedBy.get(peer.peerId) ?? 0) + item.chunkBytes) * 1000 / ownRate : Infinity;
    /** Whether every peer it is asked of is expected to take `endgameSoonerFactor` times longer (or sends nothing we know of). */
    const sooner = (asked: readonly string[]): boolean =>
      asked.every((holderId) => {
        const rate = deliveryRate(peerById.get(holderId));
        return rate <= 0 || ((owedBy.get(holderId) ?? 0) * 1000) / rate > endgameSoonerFactor * ownEtaMs;
      });
    return pickChunk({
      chunkCount,
      isCandidate: (i) => {
        if (!usable(i)) return false;
        const asked = askedOf.get(chunkKey(itemId, i)) ?? [];
        return asked.length > 0 && asked.length < maxRequestsPerChunkInEndgame && !asked.includes(peer.peerId) && sooner(asked);
      },
      cost: askedCount,
      random,
    });
  };

  const chosen: ChunkRequest[] = [];
  for (const peer of input.peers) {
    for (const item of input.items) {
      const depth = requestDepth(peer.bytesPerSecond, item.chunkBytes);
      // A peer whose pipeline is full is done: the items after this one are not looked at, so a
      // schedule costs about the open requests, however many items wait.
      if ((openPerPeer.get(peer.peerId) ?? 0) >= depth) break;
      while ((openPerPeer.get(peer.peerId) ?? 0) < depth) {
        const chunkIndex = pickFor(peer, item);
        if (chunkIndex === null) break;
        const request = { peerId: peer.peerId, itemId: item.itemId, chunkIndex };
        claim(request, peer.peerId);
        owe(peer.peerId, item.chunkBytes);
        chosen.push(request);
      }
    }
  }
  return chosen;
}
