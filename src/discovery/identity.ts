// A tab's identity in its rooms: an ECDSA P-256 signing key pair made by WebCrypto (the private key
// not extractable), and a peer id derived from the public key. Every envelope the tab sends is signed,
// so nobody else can speak under its id, and a ban sticks to the key. P-256 rather than Ed25519:
// every browser's WebCrypto has it (Ed25519 came to Chromium only in 137).
import { fromBase64Url, sha256, toBase64Url, toHex } from '../core/bytes';
import { setRecent } from '../core/recent-map';

const signing = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const signature = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** Bytes of a raw (uncompressed) P-256 public key: 0x04, x, y. */
export const publicKeyBytes = 65;

/** Bytes of a P-256 signature as WebCrypto makes it: r and s. */
export const signatureBytes = 64;

/** Bytes of SHA-256(public key) that make the peer id: 128 bits, 32 hex characters. */
const peerIdBytes = 16;

/** A peer id: 32 lower-case hex characters (what `peerIdOf` makes). */
export const isPeerIdFormat = (value: string): boolean => /^[0-9a-f]{32}$/.test(value);

/** This tab's identity. */
export interface Identity {
  readonly peerId: string;
  /** The raw public key, base64url: carried by every envelope so anyone can check it. */
  readonly publicKey: string;
  sign(data: Uint8Array): Promise<Uint8Array>;
}

/** The peer id of a raw public key: hex of the first 128 bits of its SHA-256. */
export async function peerIdOf(rawPublicKey: Uint8Array): Promise<string> {
  return toHex((await sha256(rawPublicKey)).subarray(0, peerIdBytes));
}

/** Makes a fresh identity (one per tab, never stored: a reload is a new peer). */
export async function createIdentity(): Promise<Identity> {
  const pair = await crypto.subtle.generateKey(signing, false, ['sign', 'verify']);
  const raw = new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey));
  return {
    peerId: await peerIdOf(raw),
    publicKey: toBase64Url(raw),
    sign: async (data) => new Uint8Array(await crypto.subtle.sign(signature, pair.privateKey, data as Uint8Array<ArrayBuffer>)),
  };
}

/** Imported public keys kept at most: bounds what a stream of made-up keys costs (one import each). */
export const maxKnownKeys = 1024;

/** Checks signatures, remembering the keys it imported. */
export interface KeyRing {
  /**
   * Whether `sig` is `peerId`'s signature of `data`: the key must be a P-256 public key whose peer id
   * is `peerId`, and the signature must verify under it.
   */
  verify(peerId: string, publicKey: string, data: Uint8Array, sig: Uint8Array): Promise<boolean>;
  /** Keys held now (at most `maxKnownKeys`). */
  readonly size: number;
}

export function createKeyRing(): KeyRing {
  /** Verified keys by their base64url text, least recently used first. */
  const known = new Map<string, { readonly peerId: string; readonly key: CryptoKey }>();

  const importKey = async (publicKey: string): Promise<{ peerId: string; key: CryptoKey } | null> => {
    const cached = known.get(publicKey);
    if (cached) {
      setRecent(known, publicKey, cached, maxKnownKeys);
      return cached;
    }
    const raw = fromBase64Url(publicKey);
    if (!raw || raw.length !== publicKeyBytes) return null;
    try {
      const key = await crypto.subtle.importKey('raw', raw as Uint8Array<ArrayBuffer>, signing, false, ['verify']);
      const entry = { peerId: await peerIdOf(raw), key };
      setRecent(known, publicKey, entry, maxKnownKeys);
      return entry;
    } catch {
      return null; // not a point on the curve
    }
  };

  return {
    async verify(peerId, publicKey, data, sig) {
      if (sig.length !== signatureBytes) return false;
      const entry = await importKey(publicKey);
      if (!entry || entry.peerId !== peerId) return false;
      return crypto.subtle.verify(signature, entry.key, sig as Uint8Array<ArrayBuffer>, data as Uint8Array<ArrayBuffer>);
    },
    get size() {
      return known.size;
    },
  };
}
