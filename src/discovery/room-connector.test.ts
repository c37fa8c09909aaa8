import { describe, expect, it } from 'vitest';
import type { PeerLink } from '../core/ports';
import { deriveRoomKeys } from '../core/room-keys';
import { createFakeWebRtc, createMemoryRelay } from '../test-support/memory-relay';
import { waitFor } from '../test-support/swarm-fixtures';
import { createRoomConnector } from './room-connector';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');

function join(id: string, relay: ReturnType<typeof createMemoryRelay>, webrtc: ReturnType<typeof createFakeWebRtc>, banned = new Set<string>()) {
  const links: PeerLink[] = [];
  const events: string[] = [];
  const connector = createRoomConnector({
    keys,
    myPeerId: id,
    connectRelay: relay.connect,
    connectPeer: webrtc.forPeer(id),
    onLink: (link) => links.push(link),
    isBanned: (peerId) => banned.has(peerId),
    log: (event) => events.push(event),
  });
  return { connector, links, events };
}

describe('room connector', () => {
  it('connects three peers pairwise, once per pair, with the smaller id initiating', async () => {
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const peers = ['b0', 'a0', 'c0'].map((id) => join(id, relay, webrtc));
    await waitFor(() => peers.every((p) => p.links.length === 2), 5000, 'full mesh');
    const offers = webrtc.attempts.filter((a) => a.endsWith(':offer')).sort();
    expect(offers).toEqual(['a0->b0:offer', 'a0->c0:offer', 'b0->c0:offer']);
    expect(peers[1]?.links.map((l) => l.peerId).sort()).toEqual(['b0', 'c0']);
  });

  it('makes no connection when the relay rewrites envelopes', async () => {
    const relay = createMemoryRelay();
    relay.setTamper((data) => {
      const envelope = JSON.parse(data) as Record<string, unknown>;
      return JSON.stringify({ ...envelope, from: envelope.from === 'a1' ? 'zz' : envelope.from });
    });
    const webrtc = createFakeWebRtc();
    const a = join('a1', relay, webrtc);
    const b = join('b1', relay, webrtc);
    await waitFor(() => b.events.includes('envelope-rejected'), 5000, 'rejection');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(a.links.length + b.links.length).toBe(0);
  });

  it('drops replayed envelopes', async () => {
    const relay = createMemoryRelay();
    relay.setTamper((data) => [data, data]);
    const webrtc = createFakeWebRtc();
    const a = join('a2', relay, webrtc);
    const b = join('b2', relay, webrtc);
    await waitFor(() => a.links.length === 1 && b.links.length === 1, 5000, 'connection despite duplicates');
    expect(a.events.filter((e) => e === 'envelope-rejected').length).toBeGreaterThan(0);
    expect(webrtc.attempts.filter((x) => x.endsWith(':offer'))).toEqual(['a2->b2:offer']);
  });

  it('does not connect to a banned peer', async () => {
    const relay = createMemoryRelay();
    const webrtc = createFakeWebRtc();
    const a = join('a3', relay, webrtc, new Set(['b3']));
    join('b3', relay, webrtc);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(a.links).toHaveLength(0);
  });
});
