// Every limit of the relay, each a named constant with its unit and the reason it exists.

/** ws `maxPayload`: signaling envelopes are a few KiB; ws's default of 100 MiB invites memory abuse. */
export const maxFrameBytes = 64 * 1024;

/** Token-bucket capacity per socket: lets a page announce itself and answer a burst of offers at once. */
export const messageBurst = 200;

/** Token-bucket refill per socket: far above honest signaling traffic, far below a flood. */
export const messageRefillPerSecond = 50;

/** Topics (rooms) one socket may join: a page is in one room, plus a few during reconnects. */
export const maxTopicsPerSocket = 8;

/**
 * Sockets per topic (one relay's members of a room): a room of 1,000 must work. A hello reaches at
 * most maxBroadcastRecipients of them, so a room that all joins at once costs O(N·64). Measured (npm
 * run bench:relay, figure 6, 2 cores, two runs): in a room of 1,000 one hello reaches its 64 in 2–4 ms
 * (p50) for 0.9–1.2 ms of relay CPU, and all 1,000 joining at once deliver ~62,500 hellos (27 MiB) in
 * 1.4–2.1 s for 1.2–1.7 s of CPU, no socket cut (reaching every member, it was 517,000–529,000 hellos
 * in 13–19 s for 5.9–6.2 s). 1,024 admits 1,000 and a few reconnecting; the cap now bounds the
 * relay's per-room memory and a page's peer book more than the fan-out.
 */
export const maxSocketsPerTopic = 1_024;

/**
 * Members of one relay that a room-wide message (a hello: the only kind the page broadcasts) reaches
 * at most, drawn at random, sender excluded; every member in a smaller room. A newcomer needs links
 * to a few dozen members, not an answer from all, so a hello costs the same in a room of 1,000 as in
 * one of 65. 64 is well above the page's hard link cap of 36 (src/discovery/mesh.ts: 24 + 6 jitter +
 * 6 past the cap), so a newcomer's hello still reaches more members than it can link to; the
 * page's copy, `helloRecipients` in src/discovery/mesh.ts, must agree (a test checks).
 */
export const maxBroadcastRecipients = 64;

/** ws-level ping period: a socket that did not pong since the previous ping is terminated. */
export const pingIntervalMs = 30_000;

/** Topic length: room ids are short base64url hashes; anything longer is not a real client. */
export const maxTopicChars = 128;

/** Offences (malformed frames, rate-limit hits) tolerated before a 1008 close: bugs get warnings, abuse gets cut. */
export const maxStrikesBeforeClose = 20;

/** Queued outgoing bytes after which a socket is cut instead of buffering for a reader that does not read. */
export const slowConsumerBytes = 1024 * 1024;

/**
 * Global socket cap per process: beyond it new sockets get 1013 (try again later) so clients back off.
 * Measured (npm run bench:relay, 2 cores): 10,000 sockets held at about 8.5 MiB RSS per 1,000, with a
 * signaling round trip of p50 1 ms and p99 under 5 ms; main.ts lowers it to fit the open-files limit.
 */
export const maxConnections = 10_000;

/**
 * Sockets per client address (IPv6: per /64): a person has one per open tab, a NAT'd office a few
 * dozen; 32 keeps one host from taking the global cap alone. Beyond it the upgrade gets HTTP 429.
 */
export const maxConnectionsPerIp = 32;

/** Wait for the peer's half of a close handshake before the TCP socket is destroyed: ws's 30 s default lets a cut abuser linger. */
export const closeHandshakeTimeoutMs = 5_000;

/** The tunable limits of one relay; tests override single fields with small values. */
export interface RelayLimits {
  readonly maxFrameBytes: number;
  readonly messageBurst: number;
  readonly messageRefillPerSecond: number;
  readonly maxTopicsPerSocket: number;
  readonly maxSocketsPerTopic: number;
  readonly maxBroadcastRecipients: number;
  readonly pingIntervalMs: number;
  readonly maxStrikesBeforeClose: number;
  readonly slowConsumerBytes: number;
  readonly maxConnections: number;
  readonly maxConnectionsPerIp: number;
  readonly closeHandshakeTimeoutMs: number;
}

/** The production limits, gathered so a relay can be built from `{ ...defaultRelayLimits, ...overrides }`. */
export const defaultRelayLimits: RelayLimits = {
  maxFrameBytes,
  messageBurst,
  messageRefillPerSecond,
  maxTopicsPerSocket,
  maxSocketsPerTopic,
  maxBroadcastRecipients,
  pingIntervalMs,
  maxStrikesBeforeClose,
  slowConsumerBytes,
  maxConnections,
  maxConnectionsPerIp,
  closeHandshakeTimeoutMs,
};
