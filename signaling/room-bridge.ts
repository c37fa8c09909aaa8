// How a relay shares its rooms with other relay processes: the hub talks to this interface, and
// redis-bridge.ts implements it over Redis pub/sub. Without one, a relay is alone (embedded mode).

/** A publish crossing to other relay processes: the room, the sealed data, and its one recipient if any. */
export interface BridgedMessage {
  readonly topic: string;
  readonly data: string;
  /** The peer id it is addressed to; absent: every member of the room. */
  readonly to?: string;
}

/** Whether the other processes can currently be reached. */
export type BridgeState = 'connected' | 'disconnected';

/** The hub's side of the link to other relay processes. */
export interface RoomBridge {
  /** The first local member of `topic` joined: hear what other processes publish to it. */
  open(topic: string): void;
  /** The last local member of `topic` left: stop hearing it. */
  close(topic: string): void;
  /** Hands a message to the other processes; never throws, never waits (a failure is logged by the bridge). */
  publish(message: BridgedMessage): void;
  readonly state: BridgeState;
  /** Disconnects; resolves when done. Idempotent. */
  stop(): Promise<void>;
}

/** What a bridge tells the hub. */
export interface BridgeEvents {
  /** Another process published to a room we hold members of. */
  onMessage(message: BridgedMessage): void;
  /** The link came back after an outage: members should announce themselves again. */
  onRestored(): void;
}
