// In-memory PeerLink pairs for engine tests: asynchronous, ordered delivery, with fault injection.
import type { PeerLink, PeerLinkHandlers } from '../core/ports';

/** Rewrites (or drops, by returning null) frames one side sends: fault injection for tests. */
export type FrameTamper = (frame: Uint8Array) => Uint8Array | null;

interface Side extends PeerLink {
  deliver(frame: Uint8Array): void;
  hangUp(error?: Error): void;
}

function createSide(peerId: string, getOther: () => Side, tamper: () => FrameTamper | null): Side {
  let handlers: PeerLinkHandlers | null = null;
  const early: Uint8Array[] = [];
  let closed = false;
  const side: Side = {
    peerId,
    async send(frame) {
      if (closed) throw new Error('link closed');
      const copy = frame.slice();
      const rewrite = tamper();
      const out = rewrite ? rewrite(copy) : copy;
      await Promise.resolve();
      if (out) setTimeout(() => getOther().deliver(out), 0);
    },
    close() {
      side.hangUp();
      setTimeout(() => getOther().hangUp(), 0);
    },
    listen(h) {
      handlers = h;
      for (const frame of early.splice(0)) h.frame(frame);
    },
    deliver(frame) {
      if (closed) return;
      if (handlers) handlers.frame(frame);
      else early.push(frame);
    },
    hangUp(error) {
      if (closed) return;
      closed = true;
      handlers?.close(error);
    },
  };
  return side;
}

/** Two connected links: `a` is held by peer `aId` and talks to `bId`, and the reverse. */
export function createLinkPair(aId: string, bId: string): {
  a: PeerLink;
  b: PeerLink;
  /** Tamper with what `a`'s owner sends (so `b`'s owner receives the result). */
  tamperFromA(t: FrameTamper | null): void;
} {
  let tamperA: FrameTamper | null = null;
  // a is the link object in aId's engine, whose remote is bId.
  const a: Side = createSide(bId, () => b, () => tamperA);
  const b: Side = createSide(aId, () => a, () => null);
  return { a, b, tamperFromA: (t) => (tamperA = t) };
}
