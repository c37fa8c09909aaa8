import { hkdfSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromBase64Url, toBase64Url } from './bytes';
import { createSecret, deriveRoomKeys, keyLabels, parseSecret } from './room-keys';

const secret = 'AAECAwQFBgcICQoLDA0ODw'; // bytes 0..15

describe('room keys', () => {
  it('derives the room id with HKDF-SHA-256, matching an independent implementation (node:crypto)', async () => {
    const ikm = fromBase64Url(secret) as Uint8Array;
    const expected = new Uint8Array(hkdfSync('sha256', ikm, 'swarmdrop/v1', keyLabels.roomId, 32));
    expect((await deriveRoomKeys(secret)).roomId).toBe(toBase64Url(expected));
  });

  it('keeps a fixed vector, so a change to the derivation is never silent', async () => {
    expect((await deriveRoomKeys(secret)).roomId).toBe('RTfLmrolJ8EbZR7esMhevdjLaAlpz_7YV4eLDUR0S-Q');
  });

  it('derives a signaling key that is not the room id (distinct labels)', async () => {
    const ikm = fromBase64Url(secret) as Uint8Array;
    const keyBytes = new Uint8Array(hkdfSync('sha256', ikm, 'swarmdrop/v1', keyLabels.signalingKey, 32));
    const { roomId, signalingKey } = await deriveRoomKeys(secret);
    expect(toBase64Url(keyBytes)).not.toBe(roomId);
    const iv = new Uint8Array(12);
    const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, signalingKey, new Uint8Array([7])));
    const byNode = await crypto.subtle.importKey('raw', keyBytes, 'AES-GCM', false, ['decrypt']);
    expect(new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, byNode, sealed))).toEqual(new Uint8Array([7]));
  });

  it('gives different rooms for different secrets', async () => {
    const a = await deriveRoomKeys(createSecret());
    const b = await deriveRoomKeys(createSecret());
    expect(a.roomId).not.toBe(b.roomId);
  });

  it('creates 128-bit secrets and parses them from a fragment', () => {
    const fresh = createSecret();
    expect(fromBase64Url(fresh)?.length).toBe(16);
    expect(parseSecret(`#${fresh}`)).toBe(fresh);
  });

  it.each(['', '#', '#short', '#not base64 at all!!', `#${'A'.repeat(300)}`])('rejects %j as a secret', (fragment) => {
    expect(parseSecret(fragment)).toBeNull();
  });

  it('refuses to derive from a short secret', async () => {
    await expect(deriveRoomKeys('AAEC')).rejects.toThrow(/too short/);
  });
});
