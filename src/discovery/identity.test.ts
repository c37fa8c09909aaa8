import { describe, expect, it } from 'vitest';
import { fromBase64Url, sha256, toBase64Url, toHex, utf8Encoder } from '../core/bytes';
import { createIdentity, createKeyRing, isPeerIdFormat, maxKnownKeys, publicKeyBytes } from './identity';

const data = utf8Encoder.encode('signed bytes');

describe('identity', () => {
  it('derives the peer id from the public key: 128 bits of its SHA-256, as hex', async () => {
    const me = await createIdentity();
    const raw = fromBase64Url(me.publicKey);
    expect(raw?.length).toBe(publicKeyBytes);
    expect(me.peerId).toBe(toHex((await sha256(raw ?? new Uint8Array())).subarray(0, 16)));
    expect(isPeerIdFormat(me.peerId)).toBe(true);
    expect((await createIdentity()).peerId).not.toBe(me.peerId);
  });

  it('verifies its own signatures and nobody else’s', async () => {
    const [me, other] = [await createIdentity(), await createIdentity()];
    const ring = createKeyRing();
    const sig = await me.sign(data);
    expect(await ring.verify(me.peerId, me.publicKey, data, sig)).toBe(true);
    expect(await ring.verify(me.peerId, me.publicKey, utf8Encoder.encode('other bytes'), sig)).toBe(false);
    expect(await ring.verify(me.peerId, me.publicKey, data, await other.sign(data))).toBe(false);
    expect(await ring.verify(other.peerId, me.publicKey, data, sig)).toBe(false); // the key is not that id's
  });

  it('refuses keys that are not P-256 points and signatures of the wrong size', async () => {
    const me = await createIdentity();
    const ring = createKeyRing();
    const sig = await me.sign(data);
    const notAPoint = toBase64Url(new Uint8Array(publicKeyBytes).fill(4));
    expect(await ring.verify(me.peerId, notAPoint, data, sig)).toBe(false);
    expect(await ring.verify(me.peerId, 'not base64!', data, sig)).toBe(false);
    expect(await ring.verify(me.peerId, me.publicKey, data, sig.subarray(1))).toBe(false);
  });

  it('keeps at most maxKnownKeys imported keys, and still verifies a key it let go', async () => {
    const me = await createIdentity();
    const ring = createKeyRing();
    const sig = await me.sign(data);
    expect(await ring.verify(me.peerId, me.publicKey, data, sig)).toBe(true);
    for (let i = 0; i < maxKnownKeys + 8; i++) {
      const stranger = await createIdentity();
      await ring.verify(stranger.peerId, stranger.publicKey, data, sig);
    }
    expect(ring.size).toBe(maxKnownKeys);
    expect(await ring.verify(me.peerId, me.publicKey, data, sig)).toBe(true);
  });
});
