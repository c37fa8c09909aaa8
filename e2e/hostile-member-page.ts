// Test-only bundle entry for e2e/hostile-member.spec.ts: a room member running modified code. It speaks
// the real protocol with the app's own modules (keys, signed envelopes, relay client, WebRTC links,
// frame codec), and misbehaves in the way the spec asks: bogus offers, forged envelopes, get-manifest
// floods, 100k announced items, or chunk data dripped a byte at a time.
import { parseManifest } from '../src/core/manifest';
import type { PeerLink } from '../src/core/ports';
import { decodeFrame, encodeFrame, maxManifestPartBytes } from '../src/core/protocol/codec';
import type { WireMessage } from '../src/core/protocol/messages';
import { deriveRoomKeys, type RoomKeys } from '../src/core/room-keys';
import { sealEnvelope } from '../src/discovery/envelope';
import { createIdentity, type Identity } from '../src/discovery/identity';
import { createRelayClient } from '../src/discovery/relay-client';
import { createRoomConnector, type BusFactory } from '../src/discovery/room-connector';
import { openSignalingChannel } from '../src/discovery/signaling-channel';
import { createConnectionBudget } from '../src/transport/connection-budget';
import { createIceConfig } from '../src/transport/ice-config';
import { createWebRtcPeer } from '../src/transport/webrtc-peer';

/** What the member does on its links. */
export type LinkMode = 'quiet' | 'get-manifest-flood' | 'announce-100k' | 'drip';

/** Dripped data: one byte per request this often, as the attacker (just under the old 10 s stall timeout). */
const dripIntervalMs = 9_000;

/** What the spec finds on `window.swarmdropHostile`. */
export interface HostileMember {
  /** Joins the room: an ordinary-looking member that links up, and a listener that learns who is there. */
  join(secret: string, relayUrl: string, mode: LinkMode): Promise<void>;
  /** Peer ids heard saying hello (the honest members). */
  heard(): string[];
  /** Peers this member has an open link to. */
  linked(): string[];
  /** Items whose manifest it fetched, with their chunk counts. */
  items(): Record<string, number>;
  /** Sends `perPeer` sealed bogus offers to each of `victims`, from an identity whose id sorts below theirs (so they answer). */
  floodOffers(perPeer: number, victims: readonly string[]): Promise<number>;
  /** Publishes a hello and an offer forged to come from `victimId`, with the largest sequence number, signed with its own key. */
  impersonate(victimId: string): Promise<void>;
  /** Frames sent so far on data channels. */
  framesSent(): number;
  /** Chunk requests honest peers sent it (each answered by a drip). */
  requestsSeen(): number;
}

let keys: RoomKeys | null = null;
let relayUrl = '';
let mode: LinkMode = 'quiet';
const heardIds = new Set<string>();
const links = new Map<string, PeerLink>();
const manifests = new Map<string, number>();
/** The manifests' bytes, which the dripping member serves (it looks like an honest holder). */
const manifestBytes = new Map<string, Uint8Array>();
const ownIds = new Set<string>();
let framesSent = 0;
let requestsSeen = 0;

const send = (link: PeerLink, message: WireMessage): void => {
  framesSent += 1;
  link.send(encodeFrame(message)).catch(() => undefined);
};

const randomItemId = (): string => Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, '0')).join('');

/** Every chunk but the last: a downloader's bitfield, so the honest peers ask it before the seeder. */
function allButLast(chunkCount: number): Uint8Array {
  const bits = new Uint8Array(Math.ceil(chunkCount / 8));
  for (let i = 0; i < chunkCount - 1; i++) bits[i >> 3] = (bits[i >> 3] ?? 0) | (0x80 >> (i & 7));
  return bits;
}

/** Claims to hold every chunk but the last of each item it knows, as a downloader would. */
function claimChunks(link: PeerLink): void {
  for (const [itemId, chunkCount] of manifests) {
    send(link, { type: 'items', itemIds: [itemId] });
    send(link, { type: 'bitfield', itemId, bits: allButLast(chunkCount) });
  }
}

/** Misbehaves on one link as the mode says, now and as frames arrive. */
function onLink(link: PeerLink): void {
  links.set(link.peerId, link);
  if (mode === 'drip') claimChunks(link);
  const parts = new Map<string, Uint8Array[]>();
  link.listen({
    frame(frame) {
      const message = decodeFrame(frame);
      if (!message) return;
      if (message.type === 'items') {
        for (const itemId of message.itemIds) {
          const chunkCount = manifests.get(itemId);
          if (chunkCount === undefined) send(link, { type: 'get-manifest', itemId });
          // As an honest peer answers an announcement: with what it holds (here, its false claim).
          else if (mode === 'drip') send(link, { type: 'bitfield', itemId, bits: allButLast(chunkCount) });
        }
        if (mode === 'announce-100k') {
          for (let sent = 0; sent < 100_000; sent += 1024) send(link, { type: 'items', itemIds: Array.from({ length: 1024 }, randomItemId) });
        }
      } else if (message.type === 'manifest-part') {
        const list = parts.get(message.itemId) ?? [];
        list.push(message.bytes.slice());
        parts.set(message.itemId, list);
        const received = list.reduce((sum, p) => sum + p.length, 0);
        if (received < message.totalBytes) return;
        const bytes = new Uint8Array(received);
        list.reduce((at, p) => (bytes.set(p, at), at + p.length), 0);
        void parseManifest(bytes, message.itemId).then((signed) => {
          if (!signed) return;
          manifests.set(message.itemId, signed.manifest.chunkCount);
          manifestBytes.set(message.itemId, signed.bytes);
          if (mode === 'get-manifest-flood') for (let i = 0; i < 20_000; i++) send(link, { type: 'get-manifest', itemId: message.itemId });
          if (mode === 'drip') for (const other of links.values()) claimChunks(other);
        });
      } else if (message.type === 'get-manifest' && mode === 'drip') {
        const bytes = manifestBytes.get(message.itemId);
        for (let offset = 0; bytes && offset < bytes.length; offset += maxManifestPartBytes) {
          send(link, { type: 'manifest-part', itemId: message.itemId, totalBytes: bytes.length, offset, bytes: bytes.subarray(offset, offset + maxManifestPartBytes) });
        }
      } else if (message.type === 'request' && mode === 'drip') {
        requestsSeen += 1;
        let offset = 0;
        const drip = (): void => {
          if (!links.has(link.peerId)) return;
          send(link, { type: 'data', requestId: message.requestId, offset: offset++, bytes: new Uint8Array(1) });
          setTimeout(drip, dripIntervalMs);
        };
        drip();
      }
    },
    close: () => links.delete(link.peerId),
  });
}

/** An identity whose peer id sorts below every id in `others`: the smaller id initiates, so they answer its offers. */
async function identityBelow(others: readonly string[]): Promise<Identity> {
  for (;;) {
    const identity = await createIdentity();
    if (others.every((id) => identity.peerId < id)) return identity;
  }
}

/** A bus for a signaling channel: the relay at `relayUrl`. */
const relayBus: BusFactory = (handlers, peerId) => createRelayClient({ ...handlers, url: relayUrl, peerId });

const hostile: HostileMember = {
  async join(secret, url, linkMode) {
    keys = await deriveRoomKeys(secret);
    relayUrl = url;
    mode = linkMode;
    const identity = await createIdentity();
    ownIds.add(identity.peerId);
    const ice = createIceConfig();
    const budget = createConnectionBudget({ onExhausted: () => undefined });
    createRoomConnector({
      keys,
      identity,
      buses: [(handlers, peerId) => createRelayClient({ ...handlers, url, peerId, onIceServers: ice.set })],
      connectPeer: (request) => createWebRtcPeer({ ...request, ice, budget }),
      onLink,
      isBanned: () => false,
      log: () => undefined,
    });
    // A listener that never says hello: it only learns who is in the room.
    const listener = await createIdentity();
    ownIds.add(listener.peerId);
    openSignalingChannel({
      keys,
      identity: listener,
      now: Date.now,
      buses: [(handlers, peerId) => createRelayClient({ ...handlers, url, peerId })],
      log: () => undefined,
      onEnvelope: (envelope) => void (envelope.type === 'hello' && !ownIds.has(envelope.from) && heardIds.add(envelope.from)),
      onSubscribed: () => undefined,
    });
  },
  heard: () => [...heardIds],
  linked: () => [...links.keys()],
  items: () => Object.fromEntries(manifests),
  async floodOffers(perPeer, victims) {
    if (!keys) throw new Error('join first');
    const flooder = await identityBelow(victims);
    ownIds.add(flooder.peerId);
    let subscribed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    const flood = openSignalingChannel({
      keys,
      identity: flooder,
      now: Date.now,
      buses: [relayBus],
      log: () => undefined,
      onEnvelope: () => undefined,
      onSubscribed: () => subscribed(),
    });
    await ready;
    flood.send('*', 'hello', { links: 0, cap: 30 });
    let sent = 0;
    for (let i = 0; i < perPeer; i++) {
      for (const victim of victims) {
        // Not an SDP a browser takes: each attempt it costs fails at once (a valid one would wait 20 s to time out).
        flood.send(victim, 'signal', { type: 'offer', sdp: `bogus offer ${i}` });
        sent += 1;
      }
      // Under the relay's per-socket rate (50 a second after a burst of 200), so every offer is delivered.
      if (sent >= 150) await new Promise((resolve) => setTimeout(resolve, (victims.length * 1000) / 45));
    }
    return sent;
  },
  async impersonate(victimId) {
    if (!keys) throw new Error('join first');
    const own = await createIdentity();
    const forged: Identity = { ...own, peerId: victimId };
    const room = keys;
    let subscribed: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    const relay = createRelayClient({ url: relayUrl, onMessage: () => undefined, onSubscribed: () => subscribed() });
    relay.subscribe(room.roomId);
    await ready;
    const seq = Number.MAX_SAFE_INTEGER;
    relay.publish(room.roomId, await sealEnvelope(room.signalingKey, room.roomId, forged, { to: '*', type: 'hello', seq, ts: Date.now() }, { links: 0, cap: 30 }));
    for (const other of heardIds) {
      if (other === victimId) continue;
      const offer = { type: 'offer', sdp: 'v=0\r\n' };
      relay.publish(room.roomId, await sealEnvelope(room.signalingKey, room.roomId, forged, { to: other, type: 'signal', seq, ts: Date.now() }, offer));
    }
  },
  framesSent: () => framesSent,
  requestsSeen: () => requestsSeen,
};

(window as unknown as { swarmdropHostile: HostileMember }).swarmdropHostile = hostile;
