import { describe, expect, it } from 'vitest';
import { bytesEqual, fromBase64Url, fromHex, sha256, toBase64Url, toHex } from './bytes';

describe('byte encodings', () => {
  it.each([[[]], [[0]], [[255, 254]], [[1, 2, 3]], [[0xfb, 0xff, 0xbf]]])('round-trips %j through base64url and hex', (list) => {
    const bytes = new Uint8Array(list);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
    expect(fromHex(toHex(bytes))).toEqual(bytes);
  });

  it('uses the url-safe alphabet without padding', () => {
    expect(toBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
    expect(toBase64Url(new Uint8Array([1]))).toBe('AQ');
  });

  it.each(['a', 'ab+c', 'ab/c', 'ab=c', 'é'])('rejects %j as base64url', (text) => {
    expect(fromBase64Url(text)).toBeNull();
  });

  it.each(['a', 'AB', 'zz', '0g'])('rejects %j as hex', (text) => {
    expect(fromHex(text)).toBeNull();
  });

  it('hashes with SHA-256 (FIPS 180-2 "abc" vector)', async () => {
    const digest = await sha256(new TextEncoder().encode('abc'));
    expect(toHex(digest)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('compares bytes', () => {
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(bytesEqual(new Uint8Array([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(bytesEqual(new Uint8Array([1]), new Uint8Array([1, 0]))).toBe(false);
  });
});
