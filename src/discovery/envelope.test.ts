import { describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { openEnvelope, sealEnvelope, type EnvelopeHeader } from './envelope';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');
const otherRoom = await deriveRoomKeys('DwAOAA0ADAALAAoACQAIAA');
const header: EnvelopeHeader = { from: 'alice', to: 'bob', type: 'signal', seq: 3 };
const payload = { type: 'offer', sdp: 'v=0 fingerprint:sha-256 AB:CD' };

async function sealed(h: EnvelopeHeader = header): Promise<Record<string, unknown>> {
  return JSON.parse(await sealEnvelope(keys.signalingKey, keys.roomId, h, payload)) as Record<string, unknown>;
}

/** Sealed once with the room of the secret above: pins key derivation, additional data and encoding. */
const vector =
  '{"from":"alice","to":"bob","type":"signal","seq":7,"iv":"qlffyihAZG7WjDF0","ct":"qU4hevaEJuVphoiquihHNUQfZwjli6KMACyORAFuQYQJwmtjgouOyH9oH37n"}';

describe('signaling envelopes', () => {
  it('opens a fixed vector to its payload (the wire format has not drifted)', async () => {
    expect(await openEnvelope(keys.signalingKey, keys.roomId, vector, 'bob')).toEqual({
      from: 'alice', to: 'bob', type: 'signal', seq: 7, payload: { type: 'answer', sdp: 'v=0' },
    });
    expect(await openEnvelope(otherRoom.signalingKey, otherRoom.roomId, vector, 'bob')).toBeNull();
    expect(await openEnvelope(keys.signalingKey, keys.roomId, vector.replace('"seq":7', '"seq":8'), 'bob')).toBeNull();
  });

  it('opens what it sealed, for the addressee, and hides the payload from the relay', async () => {
    const text = await sealEnvelope(keys.signalingKey, keys.roomId, header, payload);
    expect(text).not.toContain('fingerprint');
    expect(await openEnvelope(keys.signalingKey, keys.roomId, text, 'bob')).toEqual({ ...header, payload });
  });

  it('accepts a broadcast from anyone else in the room', async () => {
    const text = JSON.stringify(await sealed({ ...header, to: '*', type: 'hello' }));
    expect((await openEnvelope(keys.signalingKey, keys.roomId, text, 'carol'))?.from).toBe('alice');
  });

  it.each([
    ['from', 'mallory'],
    ['to', 'carol'],
    ['type', 'hello'],
    ['seq', 4],
  ])('rejects an envelope whose %s was rewritten', async (field, value) => {
    const envelope = { ...(await sealed()), [field]: value };
    const me = field === 'to' ? 'carol' : 'bob';
    expect(await openEnvelope(keys.signalingKey, keys.roomId, JSON.stringify(envelope), me)).toBeNull();
  });

  it('rejects altered ciphertext and a swapped nonce', async () => {
    const envelope = await sealed();
    const ct = String(envelope.ct);
    const flipped = { ...envelope, ct: (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1) };
    expect(await openEnvelope(keys.signalingKey, keys.roomId, JSON.stringify(flipped), 'bob')).toBeNull();
    const other = await sealed();
    expect(await openEnvelope(keys.signalingKey, keys.roomId, JSON.stringify({ ...envelope, iv: other.iv }), 'bob')).toBeNull();
  });

  it('rejects an envelope spliced in from another room', async () => {
    const text = await sealEnvelope(otherRoom.signalingKey, otherRoom.roomId, header, payload);
    expect(await openEnvelope(keys.signalingKey, keys.roomId, text, 'bob')).toBeNull();
    const sameKeyOtherRoomId = await sealEnvelope(keys.signalingKey, otherRoom.roomId, header, payload);
    expect(await openEnvelope(keys.signalingKey, keys.roomId, sameKeyOtherRoomId, 'bob')).toBeNull();
  });

  it('rejects an envelope reflected back to its sender, or addressed to someone else', async () => {
    const text = JSON.stringify(await sealed());
    expect(await openEnvelope(keys.signalingKey, keys.roomId, text, 'alice')).toBeNull();
    expect(await openEnvelope(keys.signalingKey, keys.roomId, text, 'carol')).toBeNull();
  });

  it.each([
    'not json',
    'null',
    '[]',
    '{}',
    JSON.stringify({ from: '*', to: 'bob', type: 'hello', seq: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }),
    JSON.stringify({ from: 'a', to: 'bob', type: 'other', seq: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }),
    JSON.stringify({ from: 'a', to: 'bob', type: 'hello', seq: 0, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }),
    JSON.stringify({ from: 'a', to: 'bob', type: 'hello', seq: 1.5, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }),
    JSON.stringify({ from: 'a', to: 'bob', type: 'hello', seq: 1, iv: 'AAAA', ct: 'AAAA' }),
    JSON.stringify({ from: 'a'.repeat(65), to: 'bob', type: 'hello', seq: 1, iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA' }),
  ])('rejects malformed envelope %s', async (text) => {
    expect(await openEnvelope(keys.signalingKey, keys.roomId, text, 'bob')).toBeNull();
  });
});
