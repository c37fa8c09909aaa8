// The interfaces the core needs from the outside world; each has a real adapter and an in-memory fake.

/** A reliable, ordered, message-based link to one remote peer (a WebRTC data channel in the app). */
export interface PeerLink {
  /** The remote peer's id (from discovery). */
  readonly peerId: string;
  /** Sends one frame; resolves once it is queued below the link's high watermark. Rejects if the link closed. */
  send(frame: Uint8Array): Promise<void>;
  /** Closes the link; `listen`'s close handler fires once. */
  close(reason?: string): void;
  /** Installs the engine's handlers; frames received before this call are delivered to it. */
  listen(handlers: PeerLinkHandlers): void;
}

/** What a PeerLink reports to the engine. */
export interface PeerLinkHandlers {
  frame(frame: Uint8Array): void;
  close(error?: Error): void;
}

/** Where verified chunks and manifests live (IndexedDB in the app). */
export interface PieceStore {
  /** Keeps a verified manifest. */
  putManifest(itemId: string, bytes: Uint8Array): Promise<void>;
  /** Keeps a verified chunk; resolves once the write is durable (the engine announces it after that). */
  putChunk(itemId: string, chunkIndex: number, bytes: Uint8Array): Promise<void>;
  /** Reads a chunk this peer holds, or null if it does not hold it. */
  readChunk(itemId: string, chunkIndex: number): Promise<Uint8Array | null>;
}

/** A structured log line: never secrets, never payloads. */
export type Logger = (event: string, fields?: Record<string, unknown>) => void;
