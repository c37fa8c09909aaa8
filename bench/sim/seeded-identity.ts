// Peer identities made from a seed, so a run's peer ids (which decide who initiates each connection)
// are the same every time. The room connector takes any Identity; this one signs with an ECDSA P-256
// key whose private scalar comes from the seed (node:crypto works out the public point).
import { createECDH } from 'node:crypto';
import { toBase64Url } from '../../src/core/bytes';
import type { Identity } from '../../src/discovery/identity';
import { peerIdOf } from '../../src/discovery/identity';
import { seededRandom } from '../../src/test-support/seeded-random';

/** Bytes of a P-256 private scalar. */
const privateKeyBytes = 32;

/** The identity drawn from `seed`. */
export async function seededIdentity(seed: number): Promise<Identity> {
  const random = seededRandom(seed);
  const secret = Uint8Array.from({ length: privateKeyBytes }, () => Math.floor(random() * 256));
  secret[0] = Math.min(secret[0] ?? 0, 0xfe); // below the curve order, whatever the draw
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(secret);
  const raw = new Uint8Array(ecdh.getPublicKey());
  const jwk: JsonWebKey = { kty: 'EC', crv: 'P-256', d: toBase64Url(secret), x: toBase64Url(raw.subarray(1, 33)), y: toBase64Url(raw.subarray(33, 65)) };
  const key = await crypto.subtle.importKey('jwk', jwk, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['sign']);
  return {
    peerId: await peerIdOf(raw),
    publicKey: toBase64Url(raw),
    sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data as Uint8Array<ArrayBuffer>)),
  };
}
