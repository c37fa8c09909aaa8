// The peer-to-peer wire messages (data channel, binary). docs/protocol.md describes the flow.

/** Item ids travel as 32 raw bytes and are hex strings in memory. */
export type ItemId = string;

/** The messages two peers exchange over a data channel. */
export type WireMessage =
  /** "I know these items" (I hold their manifests): sent on connect and on each new item. */
  | { readonly type: 'items'; readonly itemIds: readonly ItemId[] }
  /** Ask for an item's manifest. */
  | { readonly type: 'get-manifest'; readonly itemId: ItemId }
  /** One slice of a manifest; manifests may exceed one frame. */
  | { readonly type: 'manifest-part'; readonly itemId: ItemId; readonly totalBytes: number; readonly offset: number; readonly bytes: Uint8Array }
  /** Which chunks of an item the sender holds, verified and stored (bit i = chunk i, MSB first). */
  | { readonly type: 'bitfield'; readonly itemId: ItemId; readonly bits: Uint8Array }
  /** The sender stored and verified one more chunk. */
  | { readonly type: 'have'; readonly itemId: ItemId; readonly chunkIndex: number }
  /** Ask for one whole chunk; `requestId` is the requester's own number for it. */
  | { readonly type: 'request'; readonly requestId: number; readonly itemId: ItemId; readonly chunkIndex: number }
  /** Withdraw a request (its chunk arrived elsewhere). */
  | { readonly type: 'cancel'; readonly requestId: number }
  /** A slice of a requested chunk, at `offset` within the chunk. */
  | { readonly type: 'data'; readonly requestId: number; readonly offset: number; readonly bytes: Uint8Array }
  /** The request will not be served (chunk not held, or too many queued). */
  | { readonly type: 'reject'; readonly requestId: number };

/** Every message type, for exhaustive handling. */
export type WireMessageType = WireMessage['type'];
