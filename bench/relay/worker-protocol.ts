// What the bench's parent process asks of a client worker over IPC, and what the worker answers.

/** One client socket: the room it joins and its peer id there. */
export interface SocketSpec {
  readonly room: string;
  readonly peer: string;
  /** The peer this socket publishes to (probe, blast) or answers (echo). */
  readonly to?: string;
  /** Answer every message it receives, addressed to `to`, with the same data. */
  readonly echo?: boolean;
  /** Publish a room-wide hello of this many characters on every subscription, as a page does. */
  readonly helloChars?: number;
}

/** The parameters of each request, by kind. */
export interface WorkerParams {
  /** Connect and subscribe a group of sockets; `reconnect` follows the page's backoff after a close. */
  open: { readonly group: string; readonly url: string; readonly specs: readonly SocketSpec[]; readonly reconnect: boolean };
  /** Round trips from the group's senders to their echoes, `samples` in all, at `ratePerSecond`. */
  probe: { readonly group: string; readonly samples: number; readonly ratePerSecond: number };
  /** Every sender of the group publishes `messagesPerSocket` messages at `ratePerSocketPerSecond`. */
  blast: { readonly group: string; readonly messagesPerSocket: number; readonly ratePerSocketPerSecond: number };
  /** `count` sockets of the group, taken in turn, each publish one room-wide hello of `dataChars` characters, at `ratePerSecond` in all. */
  announce: { readonly group: string; readonly count: number; readonly ratePerSecond: number; readonly dataChars: number };
  /** The group's counters; `reset` zeroes the message counters after reading them. */
  counters: { readonly group: string; readonly reset: boolean };
  /** Close every socket of the group and forget it. */
  close: { readonly group: string };
}

export interface OpenResult {
  readonly subscribed: number;
  readonly failed: number;
  readonly elapsedMs: number;
}

export interface ProbeResult {
  readonly latenciesMs: readonly number[];
  /** Probes without an answer when the wait ended. */
  readonly lost: number;
}

export interface BlastResult {
  readonly sent: number;
  /** Wall-clock (Date.now) times, comparable across the bench's processes. */
  readonly firstSendAtMs: number;
  readonly lastSendAtMs: number;
}

export interface GroupCounters {
  readonly sockets: number;
  /** Sockets subscribed right now. */
  readonly subscribed: number;
  readonly received: number;
  /** Characters of the frames received (the relay's `message` frames, as sent on the wire). */
  readonly receivedChars: number;
  readonly firstReceiveAtMs: number;
  readonly lastReceiveAtMs: number;
  readonly errorFrames: number;
  readonly closes: number;
  /** Wall-clock times of reconnect attempts (new sockets after a close) and of re-subscriptions after one. */
  readonly reconnectAttemptsAtMs: readonly number[];
  readonly resubscribedAtMs: readonly number[];
}

/** The result of each request, by kind. */
export interface WorkerResults {
  open: OpenResult;
  probe: ProbeResult;
  blast: BlastResult;
  announce: BlastResult;
  counters: GroupCounters;
  close: { readonly closed: number };
}

export type WorkerKind = keyof WorkerParams;

/** A request: `id` pairs it with its reply. */
export type WorkerRequest = { [K in WorkerKind]: { readonly id: number; readonly kind: K; readonly params: WorkerParams[K] } }[WorkerKind];

/** A reply: the result, or why the request failed. */
export interface WorkerReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}
