// Sealed, signed signaling envelopes (protocol v2). The payload is AES-GCM under the room's signaling
// key (only members read it); the header (sender, recipient, type, sequence number, time, the sender's
// public key) is bound as additional data; and the sender signs the whole with its identity key, so
// the peer id in `from` (derived from that key) is proof of who sent it. The relay sees only ids,
// public keys and ciphertext.
import { fromBase64Url, toBase64Url, utf8Decoder, utf8Encoder } from '../core/bytes';
import { isPeerIdFormat, type Identity, type KeyRing } from './identity';

/** Kinds of signaling message: a presence announcement, or a WebRTC signal for one peer. */
export type EnvelopeType = 'hello' | 'signal';

/** Recipient id meaning "everyone in the room" (hellos only). */
export const broadcastRecipient = '*';

/** What the sender sets in an envelope's header (its id and key come from its identity). */
export interface EnvelopeAddress {
  readonly to: string;
  readonly type: EnvelopeType;
  /** Per-sender sequence number, from 1: receivers drop a repeated or lower one as a replay. */
  readonly seq: number;
  /** The sender's clock when sealing (ms since the epoch): receivers drop stale envelopes. */
  readonly ts: number;
}

/** The readable header of an envelope (all of it is authenticated and signed). */
export interface EnvelopeHeader extends EnvelopeAddress {
  readonly from: string;
  /** The sender's raw P-256 public key, base64url; `from` is derived from it. */
  readonly key: string;
}

/** An opened envelope: its header and decrypted payload. */
export interface OpenedEnvelope extends EnvelopeHeader {
  readonly payload: unknown;
}

/** AES-GCM nonce length: the 96 bits GCM is specified for. */
const ivBytes = 12;

/** Longest public key text accepted: a raw P-256 key is 87 base64url characters. */
const maxKeyChars = 100;

function additionalData(roomId: string, header: EnvelopeHeader): Uint8Array<ArrayBuffer> {
  const { from, to, type, seq, ts, key } = header;
  return utf8Encoder.encode(`swarmdrop/v2\n${roomId}\n${from}\n${to}\n${type}\n${seq}\n${ts}\n${key}`);
}

/** What the sender signs: the additional data, then the nonce and the ciphertext. */
function signedBytes(aad: Uint8Array, iv: Uint8Array, ct: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(aad.length + iv.length + ct.length);
  bytes.set(aad);
  bytes.set(iv, aad.length);
  bytes.set(ct, aad.length + iv.length);
  return bytes;
}

/** Encrypts and signs a payload into an envelope string for the relay. */
export async function sealEnvelope(key: CryptoKey, roomId: string, identity: Identity, address: EnvelopeAddress, payload: unknown): Promise<string> {
  const header: EnvelopeHeader = { from: identity.peerId, key: identity.publicKey, ...address };
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const aad = additionalData(roomId, header);
  const plain = utf8Encoder.encode(JSON.stringify(payload));
  const ct = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad }, key, plain));
  const sig = await identity.sign(signedBytes(aad, iv, ct));
  return JSON.stringify({ ...header, iv: toBase64Url(iv), ct: toBase64Url(ct), sig: toBase64Url(sig) });
}

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

function parseHeader(raw: Record<string, unknown>): EnvelopeHeader | null {
  const { from, to, type, seq, ts, key } = raw;
  if (typeof from !== 'string' || !isPeerIdFormat(from)) return null;
  if (typeof to !== 'string' || !(isPeerIdFormat(to) || to === broadcastRecipient)) return null;
  // A signal is for one peer: only hellos go to everyone.
  if (type !== 'hello' && !(type === 'signal' && to !== broadcastRecipient)) return null;
  if (!isCount(seq) || seq < 1 || !isCount(ts)) return null;
  if (typeof key !== 'string' || key.length > maxKeyChars) return null;
  return { from, to, type, seq, ts, key };
}

/**
 * The sender and recipient an envelope names, read without opening it (nulls if it is not an
 * envelope). The relay is pure pub/sub, so every peer receives everyone's envelopes: this lets it skip
 * the ones for others, and its own reflected back, cheaply and without taking them for forgeries.
 * Nothing else may trust it.
 */
export function peekAddresses(text: string): { readonly from: string | null; readonly to: string | null } {
  try {
    const raw: unknown = JSON.parse(text);
    const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
    return { from: typeof fields.from === 'string' ? fields.from : null, to: typeof fields.to === 'string' ? fields.to : null };
  } catch {
    return { from: null, to: null }; // not JSON: openEnvelope rejects it
  }
}

/**
 * Why an envelope was refused: `not-authentic` (malformed, altered, forged or sealed for another room:
 * the relay or someone on the way, as no member would send it) or `bad-signature` (sealed with the room
 * key, so by a member, but not signed by the sender it names: a member speaking as another).
 */
export type EnvelopeRefusal = 'not-authentic' | 'bad-signature';

/** An opened envelope, or why it was refused; null for one that is simply not for us (ours, or another peer's). */
export type OpenResult = { readonly envelope: OpenedEnvelope } | { readonly refused: EnvelopeRefusal } | null;

const notAuthentic = { refused: 'not-authentic' } as const;

/**
 * Opens an envelope addressed to `myId` (or a hello to everyone). Replays and stale times are the
 * caller's check.
 */
export async function openEnvelope(key: CryptoKey, roomId: string, text: string, myId: string, ring: KeyRing): Promise<OpenResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return notAuthentic; // not JSON: not one of ours
  }
  if (typeof raw !== 'object' || raw === null) return notAuthentic;
  const fields = raw as Record<string, unknown>;
  const header = parseHeader(fields);
  if (!header) return notAuthentic;
  if (header.from === myId || (header.to !== myId && header.to !== broadcastRecipient)) return null;
  const iv = typeof fields.iv === 'string' ? fromBase64Url(fields.iv) : null;
  const ct = typeof fields.ct === 'string' ? fromBase64Url(fields.ct) : null;
  const sig = typeof fields.sig === 'string' ? fromBase64Url(fields.sig) : null;
  if (!iv || iv.length !== ivBytes || !ct || !sig) return notAuthentic;
  const aad = additionalData(roomId, header);
  let plain: ArrayBuffer;
  try {
    plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: aad }, key, ct as Uint8Array<ArrayBuffer>);
  } catch {
    return notAuthentic; // authentication failed: altered, forged, or another room's
  }
  if (!(await ring.verify(header.from, header.key, signedBytes(aad, iv, ct), sig))) return { refused: 'bad-signature' };
  try {
    return { envelope: { ...header, payload: JSON.parse(utf8Decoder.decode(plain)) } };
  } catch {
    return { refused: 'bad-signature' }; // sealed by a member, but no payload a member's code would send
  }
}
