// Sealed signaling envelopes: AES-GCM under the room's signaling key, with sender, recipient,
// type, sequence number and room bound as additional data. The relay sees only ids and ciphertext.
import { fromBase64Url, toBase64Url, utf8Decoder, utf8Encoder } from '../core/bytes';

/** Kinds of signaling message: a presence announcement, or a WebRTC signal for one peer. */
export type EnvelopeType = 'hello' | 'signal';

/** Recipient id meaning "everyone in the room". */
export const broadcastRecipient = '*';

/** The readable header of an envelope (all of it is authenticated). */
export interface EnvelopeHeader {
  readonly from: string;
  readonly to: string;
  readonly type: EnvelopeType;
  readonly seq: number;
}

/** An opened envelope: its header and decrypted payload. */
export interface OpenedEnvelope extends EnvelopeHeader {
  readonly payload: unknown;
}

/** AES-GCM nonce length: the 96 bits GCM is specified for. */
const ivBytes = 12;

/** Longest peer id we accept: ours are 32 hex characters. */
const maxPeerIdChars = 64;

function additionalData(roomId: string, header: EnvelopeHeader): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(`swarmdrop/v1\n${roomId}\n${header.from}\n${header.to}\n${header.type}\n${header.seq}`);
}

/** Encrypts a payload into an envelope string for the relay. */
export async function sealEnvelope(key: CryptoKey, roomId: string, header: EnvelopeHeader, payload: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(ivBytes));
  const plain = utf8Encoder.encode(JSON.stringify(payload));
  const sealed = await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(roomId, header) }, key, plain);
  return JSON.stringify({ ...header, iv: toBase64Url(iv), ct: toBase64Url(new Uint8Array(sealed)) });
}

const isPeerId = (value: unknown): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxPeerIdChars && /^[A-Za-z0-9_*-]+$/.test(value);

function parseHeader(raw: Record<string, unknown>): EnvelopeHeader | null {
  const { from, to, type, seq } = raw;
  if (!isPeerId(from) || !isPeerId(to) || from === broadcastRecipient) return null;
  if (type !== 'hello' && type !== 'signal') return null;
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 1) return null;
  return { from, to, type, seq };
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
 * Opens an envelope addressed to `myId` (or to everyone). Returns null for anything malformed,
 * forged, altered, sealed for another room, addressed to someone else, or sent by ourselves.
 * Replay is the caller's check (sequence numbers per sender).
 */
export async function openEnvelope(key: CryptoKey, roomId: string, text: string, myId: string): Promise<OpenedEnvelope | null> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return null; // not JSON: not one of ours
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const fields = raw as Record<string, unknown>;
  const header = parseHeader(fields);
  if (!header || header.from === myId || (header.to !== myId && header.to !== broadcastRecipient)) return null;
  const iv = typeof fields.iv === 'string' ? fromBase64Url(fields.iv) : null;
  const ct = typeof fields.ct === 'string' ? fromBase64Url(fields.ct) : null;
  if (!iv || iv.length !== ivBytes || !ct) return null;
  try {
    const plain = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: iv as Uint8Array<ArrayBuffer>, additionalData: additionalData(roomId, header) },
      key,
      ct as Uint8Array<ArrayBuffer>,
    );
    return { ...header, payload: JSON.parse(utf8Decoder.decode(plain)) };
  } catch {
    return null; // authentication failed: altered, forged, or another room's
  }
}
