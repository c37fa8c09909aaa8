// The room link secret and everything derived from it (shared/DESIGN.md, "Room link and keys").
import { fromBase64Url, toBase64Url, utf8Encoder } from './bytes';

/** Random bytes in a new link secret: 128 bits, as the design requires. */
export const secretBytes = 16;

/** HKDF salt: fixes the protocol version into every derived key. */
const hkdfSalt = utf8Encoder.encode('swarmdrop/v1');

/** Distinct HKDF labels, so no derived value can stand in for another. */
export const keyLabels = {
  roomId: 'swarmdrop room id',
  signalingKey: 'swarmdrop signaling key',
} as const;

/** What a peer derives from the link secret. */
export interface RoomKeys {
  /** The only thing the relay ever sees: base64url of 32 derived bytes. */
  readonly roomId: string;
  /** AES-GCM-256 key sealing every signaling envelope. */
  readonly signalingKey: CryptoKey;
}

/** A fresh random link secret (base64url, 22 characters). */
export function createSecret(): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(secretBytes)));
}

/** Parses a secret from a URL fragment; null unless it holds at least 128 bits of base64url. */
export function parseSecret(fragment: string): string | null {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const bytes = fromBase64Url(text);
  return bytes && bytes.length >= secretBytes && text.length <= 256 ? text : null;
}

async function hkdfBits(secret: Uint8Array, label: string, bits: number): Promise<Uint8Array> {
  const base = await crypto.subtle.importKey('raw', secret as Uint8Array<ArrayBuffer>, 'HKDF', false, ['deriveBits']);
  const params = { name: 'HKDF', hash: 'SHA-256', salt: hkdfSalt, info: utf8Encoder.encode(label) };
  return new Uint8Array(await crypto.subtle.deriveBits(params, base, bits));
}

/** Derives the room id and the signaling key from a link secret. */
export async function deriveRoomKeys(secret: string): Promise<RoomKeys> {
  const secretRaw = fromBase64Url(secret);
  if (!secretRaw || secretRaw.length < secretBytes) throw new Error('room secret is too short');
  const roomId = toBase64Url(await hkdfBits(secretRaw, keyLabels.roomId, 256));
  const keyBytes = await hkdfBits(secretRaw, keyLabels.signalingKey, 256);
  const signalingKey = await crypto.subtle.importKey('raw', keyBytes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  return { roomId, signalingKey };
}
