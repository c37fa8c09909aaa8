import { describe, expect, it } from 'vitest';
import { deriveRoomKeys } from '../core/room-keys';
import { openEnvelope, sealEnvelope, type EnvelopeAddress } from './envelope';
import { createIdentity, createKeyRing, type Identity } from './identity';

const keys = await deriveRoomKeys('AAECAwQFBgcICQoLDA0ODw');
const otherRoom = await deriveRoomKeys('DwAOAA0ADAALAAoACQAIAA');
const [alice, bob, carol, mallory] = await Promise.all([createIdentity(), createIdentity(), createIdentity(), createIdentity()]);
if (!alice || !bob || !carol || !mallory) throw new Error('identities');
const address: EnvelopeAddress = { to: bob.peerId, type: 'signal', seq: 3, ts: 1_764_547_200_000 };
const payload = { type: 'offer', sdp: 'v=0 fingerprint:sha-256 AB:CD' };

/** The opened envelope, or null (refused or not for us); `refusal` says why it was refused. */
const result = (text: string, me: Identity | string = bob, room = keys) =>
  openEnvelope(room.signalingKey, room.roomId, text, typeof me === 'string' ? me : me.peerId, createKeyRing());
const open = async (text: string, me: Identity | string = bob, room = keys) => {
  const opened = await result(text, me, room);
  return opened && 'envelope' in opened ? opened.envelope : null;
};
const refusal = async (text: string, me: Identity | string = bob) => {
  const opened = await result(text, me);
  return opened && 'refused' in opened ? opened.refused : null;
};

async function sealed(a: EnvelopeAddress = address, by: Identity = alice): Promise<Record<string, unknown>> {
  return JSON.parse(await sealEnvelope(keys.signalingKey, keys.roomId, by, a, payload)) as Record<string, unknown>;
}

/** Sealed and signed once by a key pair made for it: pins key derivation, additional data, signing and encoding. */
const vectorTo = 'bb51185259667db8af69087938b609d7';
const vector =
  '{"from":"7147d6c9b3bfcbaa62a2d4c4086ab490","key":"BJu9eH5N1glEsbN0ashR1jmwE715WxxsdM1FJSw8yIJL3V4D3ke5blbtO_2jH-aMWUtcJ8M4P7nMVLey8X-0OBY","to":"bb51185259667db8af69087938b609d7","type":"signal","seq":7,"ts":1764547200000,"iv":"Ror-MKl3bVoO25I8","ct":"SgY3fwtaFiH8AQ9MaE09Veq9pS0FYVdBNeA4oP2JGu9_SPDru8FRYdblWFB5","sig":"qkh6ybHmUMkAJoRG1jmMuRBUnIfEMdY2UJzmTE6etCFRmtUPLAdh_SUT_QePNjmTNrKrx0RIJjQPyNyqfnhr5A"}';

describe('signaling envelopes', () => {
  it('opens a fixed vector to its payload (the wire format has not drifted)', async () => {
    const opened = await open(vector, vectorTo);
    expect(opened).toMatchObject({ from: '7147d6c9b3bfcbaa62a2d4c4086ab490', to: vectorTo, type: 'signal', seq: 7, ts: 1764547200000 });
    expect(opened?.payload).toEqual({ type: 'answer', sdp: 'v=0' });
    expect(await open(vector, vectorTo, otherRoom)).toBeNull();
    expect(await open(vector.replace('"seq":7', '"seq":8'), vectorTo)).toBeNull();
  });

  it('opens what it sealed, for the addressee, and hides the payload from the relay', async () => {
    const text = await sealEnvelope(keys.signalingKey, keys.roomId, alice, address, payload);
    expect(text).not.toContain('fingerprint');
    expect(await open(text)).toEqual({ ...address, from: alice.peerId, key: alice.publicKey, payload });
  });

  it('takes a hello to everyone from anyone else in the room, but never a signal to everyone', async () => {
    const hello = JSON.stringify(await sealed({ ...address, to: '*', type: 'hello' }));
    expect((await open(hello, carol))?.from).toBe(alice.peerId);
    const signalToAll = JSON.stringify(await sealed({ ...address, to: '*', type: 'signal' }));
    expect(await open(signalToAll, carol)).toBeNull();
  });

  it('refuses a member speaking as another: signed with its own key, or naming a key that is not its id', async () => {
    // Mallory knows the room key, so her envelope decrypts; only the signature tells her from Alice.
    const signedByMallory: Identity = { peerId: alice.peerId, publicKey: alice.publicKey, sign: mallory.sign };
    expect(await refusal(JSON.stringify(await sealed(address, signedByMallory)))).toBe('bad-signature');
    const malloryKeyAsAlice: Identity = { peerId: alice.peerId, publicKey: mallory.publicKey, sign: mallory.sign };
    expect(await refusal(JSON.stringify(await sealed(address, malloryKeyAsAlice)))).toBe('bad-signature');
    expect(await open(JSON.stringify(await sealed(address, mallory)))).toMatchObject({ from: mallory.peerId });
  });

  it.each([
    ['from', () => carol.peerId],
    ['to', () => carol.peerId],
    ['type', () => 'hello'],
    ['seq', () => 4],
    ['ts', () => 1_764_547_200_001],
    ['key', () => carol.publicKey],
  ])('rejects an envelope whose %s was rewritten', async (field, value) => {
    const envelope = { ...(await sealed()), [field]: value() };
    const me = field === 'to' ? carol : bob;
    expect(await refusal(JSON.stringify(envelope), me)).toBe('not-authentic');
  });

  it('rejects altered ciphertext, a swapped nonce and a swapped signature', async () => {
    const envelope = await sealed();
    const ct = String(envelope.ct);
    const flipped = { ...envelope, ct: (ct[0] === 'A' ? 'B' : 'A') + ct.slice(1) };
    expect(await open(JSON.stringify(flipped))).toBeNull();
    const other = await sealed();
    expect(await open(JSON.stringify({ ...envelope, iv: other.iv }))).toBeNull();
    expect(await open(JSON.stringify({ ...envelope, sig: other.sig }))).toBeNull();
  });

  it('rejects an envelope spliced in from another room', async () => {
    const text = await sealEnvelope(otherRoom.signalingKey, otherRoom.roomId, alice, address, payload);
    expect(await open(text)).toBeNull();
    const sameKeyOtherRoomId = await sealEnvelope(keys.signalingKey, otherRoom.roomId, alice, address, payload);
    expect(await open(sameKeyOtherRoomId)).toBeNull();
  });

  it('passes over an envelope reflected back to its sender, or addressed to someone else, without calling it a forgery', async () => {
    const text = JSON.stringify(await sealed());
    expect(await result(text, alice)).toBeNull();
    expect(await result(text, carol)).toBeNull();
  });

  const good = { from: 'ab'.repeat(16), to: 'cd'.repeat(16), type: 'hello', seq: 1, ts: 1, key: 'AAAA', iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAA', sig: 'AAAA' };
  it.each([
    ['not json', 'not json'],
    ['null', 'null'],
    ['an array', '[]'],
    ['nothing', '{}'],
    ['a sender id that sorts below every key-derived one', JSON.stringify({ ...good, from: '-'.repeat(32) })],
    ['a short sender id', JSON.stringify({ ...good, from: 'a0' })],
    ['upper-case hex', JSON.stringify({ ...good, from: 'AB'.repeat(16) })],
    ['everyone as the sender', JSON.stringify({ ...good, from: '*' })],
    ['an unknown type', JSON.stringify({ ...good, type: 'other' })],
    ['sequence 0', JSON.stringify({ ...good, seq: 0 })],
    ['a fractional sequence', JSON.stringify({ ...good, seq: 1.5 })],
    ['a negative time', JSON.stringify({ ...good, ts: -1 })],
    ['no key', JSON.stringify({ ...good, key: undefined })],
    ['an overlong key', JSON.stringify({ ...good, key: 'A'.repeat(101) })],
    ['a short nonce', JSON.stringify({ ...good, iv: 'AAAA' })],
    ['no signature', JSON.stringify({ ...good, sig: undefined })],
  ])('rejects a malformed envelope: %s', async (_what, text) => {
    expect(await refusal(text, 'cd'.repeat(16))).toBe('not-authentic');
  });
});
