// Engine tuning, each with its unit and reason.

/** Whole-chunk requests outstanding to one peer: keeps its link busy while we hash and store (4 x 1 MiB in memory). */
export const maxRequestsPerPeer = 4;

/** Requests a peer may queue with us before we reject more: bounds what one peer can make us hold. */
export const maxQueuedServesPerPeer = 16;

/** Protocol offences (malformed frame, bad manifest, corrupt chunk) before a peer is dropped and banned for the session. */
export const maxStrikesPerPeer = 3;

/** The UI hears about engine changes at most this often: progress repaints ~10 times a second, not per frame. */
export const snapshotNotifyIntervalMs = 100;
