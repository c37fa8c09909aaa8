// Engine tuning, each with its unit and reason.

/** Fewest whole-chunk requests kept open to a peer: one being received while the next is read and sent. */
export const minRequestsPerPeer = 2;

/**
 * Most requests open to one peer: at most what a peer queues for us (maxQueuedServesPerPeer). Small
 * chunks (small items) need many in flight to hide the round trip: 2,000 items of 1–20 KB completed in
 * 5.0 s with 12 open, against 1.45 s for one file of their bytes.
 */
export const maxRequestsPerPeer = 64;

/** Chunk bytes open to one peer at most: 12 chunks of 1 MiB, the buffers one peer's requests may hold here. */
export const maxRequestBytesPerPeer = 12 * 1024 * 1024;

/**
 * A peer is kept busy with about this much of its measured throughput in requests (at least
 * `minRequestsPerPeer`): enough to hide a round trip and a disk read on any link, and on a slow one
 * enough that the sender always has our next chunk queued while it sends this one.
 */
export const requestPipelineMs = 2_000;

/** A request with no data for this long is withdrawn and asked elsewhere: a live peer sends a frame far more often. */
export const requestTimeoutMs = 10_000;

/**
 * A request not yet started may wait this many request timeouts while the peer keeps sending us the
 * chunks asked before it (it serves one at a time): with 8 peers on 2 cores one chunk took up to 15 s,
 * and the one queued behind it was withdrawn as stalled though the peer was busy sending to us.
 */
export const maxQueuedWaitTimeouts = 3;

/**
 * Once a chunk's first bytes came, it must keep coming at least this fast (averaged from that first
 * byte, after `requestTimeoutMs`): a peer dripping a byte every few seconds keeps no chunk to itself.
 * Slow is not hostile: the slowest honest home uplink we plan for, 0.5 Mbit/s shared by 30 links,
 * gives each link ~2 KB/s, and a chunk is sent whole once started, so an honest link stays above this.
 */
export const minRequestBytesPerSecond = 2 * 1024;

/**
 * Data may pause for this many of the link's own frame intervals before a request counts as stalled
 * (when that is longer than `requestTimeoutMs`): a 64 KiB frame over a 2 KB/s share of a slow uplink
 * arrives whole only every ~30 s, and an honest slow link must not lose its requests for it.
 */
export const stallFrameIntervals = 3;

/** A peer whose request stalled is not asked for that chunk again for this long. */
export const stalledRetryAfterMs = 30_000;

/** A peer that rejected a request is not asked for that chunk again for this long: long enough for another holder to appear. */
export const rejectedRetryAfterMs = 3_000;

/** In endgame a chunk may be requested from at most this many peers at once (the first wins, the rest are cancelled). */
export const maxRequestsPerChunkInEndgame = 2;

/** How often the upload pacer looks at the links' round trips: each link's is measured every ~2.5 s, and several links share a step. */
export const paceStepMs = 1000;

/** How often the engine looks for stalled requests. */
export const stallCheckIntervalMs = 1000;

/**
 * A peer that cancelled a serve it was getting does not hold that chunk "under way" for others for this
 * long: cancelling and asking again must not keep a chunk from everyone else.
 */
export const cancelledServeForgetMs = 30_000;

/** A serve to another peer counts as under way (so a second request for the chunk is turned away) only if it moved this recently. */
export const duplicateServeFreshMs = 2_000;

/**
 * A data frame carries about this long of what we measured sending to its peer (up to the 64 KiB frame,
 * reached at 256 KB/s): a frame arrives whole or not at all, and the requests we send on the same link wait
 * behind the one already in its channel. In the simulated flash crowd of 100, a quarter second instead of
 * a second took the last peers (1 Mbit/s uplinks shared by ~25 links) from 1.71 and 1.54× T* to 1.46 and
 * 1.37× (seeds 22, 23); the simulated lab of issue 22 went from 1.27 to 1.30× over eight seeds.
 */
export const dataFrameMs = 250;

/**
 * The smallest data frame: a fresh link sends a few of these before its rate is measured (a fast one within
 * milliseconds), and a link slower than 16 KB/s sends no bigger ones. Our own requests on that link wait
 * behind a frame already in the channel, so on a slow uplink shared by many links a 16 KiB frame held
 * them ~3 s (simulated flash crowd of 100, docs/simulation.md).
 */
export const minDataFrameBytes = 4 * 1024;

/** Bytes of waiting chunks read ahead per peer while one is sent: one whole chunk, or many small ones (each small read is a storage round trip). */
export const serveReadAheadBytes = 1024 * 1024;

/** Requests a peer may queue with us before we reject more: bounds what one peer can make us hold (a queued request holds no chunk; one is read ahead). */
export const maxQueuedServesPerPeer = 64;

/** Protocol offences (malformed frame, bad manifest, corrupt chunk) before a peer is dropped and banned for the session. */
export const maxStrikesPerPeer = 3;

/**
 * The UI hears about engine changes at most this often: progress repaints 4 times a second, not per
 * frame. Each repaint re-renders the room and lays out its changed text in every open page; with 4
 * pages on 2 cores, 250 ms against 100 ms measured 92 against 95 ms of CPU per MB (median of 3 A/B pairs).
 */
export const snapshotNotifyIntervalMs = 250;

/** While any peer's shown speed is above zero, the snapshot is refreshed this often, so a speed falls to zero when the bytes stop. */
export const speedRefreshMs = 1000;

/**
 * Manifests fetched at once: each is a round trip, and 2,000 items arriving together need many in
 * flight to appear within a second; the rest wait their turn (a member announcing 100k items costs a queue of ids).
 */
export const maxManifestFetchesInFlight = 128;

/** Manifests fetched from one peer at once: a member that never answers holds half the slots, not all (32 slowed 2,000 items appearing from ~1.1 s to ~1.45 s). */
export const maxManifestFetchesPerPeer = 64;

/** Bytes of manifests received and not yet complete, across every fetch: what announcers can make us hold. */
export const maxManifestBytesInFlight = 32 * 1024 * 1024;

/** A manifest fetch with no part for this long is given up and asked of another announcer: a live peer answers in milliseconds. */
export const manifestFetchTimeoutMs = 10_000;

/** Manifest requests one peer may queue with us: more are dropped (an honest asker asks again once its fetch times out). */
export const maxQueuedManifestServesPerPeer = 256;

/** Item ids one peer may announce: more are ignored, so a member announcing 100k items costs a bounded set. */
export const maxAnnouncedItemsPerPeer = 20_000;

/** Items a room may hold here: past it, learned items are refused with a sentence (a room of 10,000 items is already huge). */
export const maxItemsPerRoom = 10_000;

/**
 * Bytes fetched in order from the playback position of media being watched while it downloads: a few
 * seconds of video at common bitrates, small enough that the rest of the swarm still gets rarest first.
 */
export const streamWindowBytes = 8 * 1024 * 1024;
