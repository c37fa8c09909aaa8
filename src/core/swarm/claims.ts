// Bookkeeping of open chunk requests: by id, by chunk (endgame may ask two peers for one chunk),
// by peer, and how many chunks of each item are claimed (requested or being stored).

/** One outstanding whole-chunk request. */
export interface OpenRequest {
  readonly id: number;
  readonly peerId: string;
  readonly itemId: string;
  readonly chunkIndex: number;
  readonly buffer: Uint8Array;
  received: number;
  lastProgressMs: number;
  /** When its first data came (undefined before). */
  firstByteMs?: number;
}

/** "itemId:chunkIndex" */
export const chunkKey = (itemId: string, chunkIndex: number): string => `${itemId}:${chunkIndex}`;

/** The claims table. */
export interface Claims {
  add(request: OpenRequest): void;
  /** Removes a request; returns it if it was open. */
  remove(requestId: number): OpenRequest | undefined;
  get(requestId: number): OpenRequest | undefined;
  all(): IterableIterator<OpenRequest>;
  /** Open requests for one chunk. */
  forChunk(itemId: string, chunkIndex: number): readonly OpenRequest[];
  openCount(peerId: string): number;
  /** Marks a verified chunk as being written (still claimed, so it is not asked again). */
  setStoring(itemId: string, chunkIndex: number, storing: boolean): void;
  /** Requested or being stored. */
  isClaimed(itemId: string, chunkIndex: number): boolean;
  /** Distinct chunks of an item that are claimed. */
  claimedCount(itemId: string): number;
  /** Chunks being written (claimed with no open request left). */
  storing(): IterableIterator<ChunkRef>;
}

/** One chunk of one item. */
export interface ChunkRef {
  readonly itemId: string;
  readonly chunkIndex: number;
}

/** Creates an empty claims table. */
export function createClaims(): Claims {
  const byId = new Map<number, OpenRequest>();
  const byChunk = new Map<string, Set<number>>();
  const storing = new Map<string, ChunkRef>();
  const perPeer = new Map<string, number>();
  const perItem = new Map<string, number>();

  const bumpItem = (itemId: string, delta: number): void => {
    const next = (perItem.get(itemId) ?? 0) + delta;
    if (next === 0) perItem.delete(itemId);
    else perItem.set(itemId, next);
  };
  const isClaimedKey = (key: string): boolean => storing.has(key) || (byChunk.get(key)?.size ?? 0) > 0;

  return {
    add(request) {
      const key = chunkKey(request.itemId, request.chunkIndex);
      if (!isClaimedKey(key)) bumpItem(request.itemId, 1);
      byId.set(request.id, request);
      const ids = byChunk.get(key) ?? new Set<number>();
      ids.add(request.id);
      byChunk.set(key, ids);
      perPeer.set(request.peerId, (perPeer.get(request.peerId) ?? 0) + 1);
    },
    remove(requestId) {
      const request = byId.get(requestId);
      if (!request) return undefined;
      byId.delete(requestId);
      const key = chunkKey(request.itemId, request.chunkIndex);
      const ids = byChunk.get(key);
      ids?.delete(requestId);
      if (ids?.size === 0) byChunk.delete(key);
      if (!isClaimedKey(key)) bumpItem(request.itemId, -1);
      perPeer.set(request.peerId, (perPeer.get(request.peerId) ?? 1) - 1);
      return request;
    },
    get: (requestId) => byId.get(requestId),
    all: () => byId.values(),
    forChunk(itemId, chunkIndex) {
      const ids = byChunk.get(chunkKey(itemId, chunkIndex));
      return ids ? [...ids].map((id) => byId.get(id)).filter((r): r is OpenRequest => r !== undefined) : [];
    },
    openCount: (peerId) => perPeer.get(peerId) ?? 0,
    setStoring(itemId, chunkIndex, on) {
      const key = chunkKey(itemId, chunkIndex);
      const before = isClaimedKey(key);
      if (on) storing.set(key, { itemId, chunkIndex });
      else storing.delete(key);
      const after = isClaimedKey(key);
      if (before !== after) bumpItem(itemId, after ? 1 : -1);
    },
    isClaimed: (itemId, chunkIndex) => isClaimedKey(chunkKey(itemId, chunkIndex)),
    claimedCount: (itemId) => perItem.get(itemId) ?? 0,
    storing: () => storing.values(),
  };
}
