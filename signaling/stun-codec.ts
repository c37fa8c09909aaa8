// A small STUN (RFC 8489) codec: exactly what a Binding responder needs, read from the raw bytes.
// @msimerson/stun was tried first; its FINGERPRINT check re-encodes the message (so any sender whose
// padding is not zero, like the RFC 5769 vectors, fails) and it decodes IPv6 XOR addresses wrong.
import { isIPv4, isIPv6 } from 'node:net';
import { crc32 } from 'node:zlib';

/** STUN classes (RFC 8489 §5): the two class bits spread through the message type. */
export type StunClass = 'request' | 'indication' | 'success' | 'error';

/** One attribute as it sits in the message; `offset` is where its header starts (for integrity checks). */
export interface StunAttribute {
  readonly type: number;
  readonly value: Uint8Array;
  readonly offset: number;
}

/** A message that passed the header, length, layout and (if present) FINGERPRINT checks. */
export interface StunMessage {
  readonly method: number;
  readonly class: StunClass;
  readonly transactionId: Uint8Array;
  readonly attributes: readonly StunAttribute[];
  readonly hasFingerprint: boolean;
}

/** Why bytes are not a STUN message; the server counts drops under these names. */
export type StunParseFailure = 'truncated' | 'not-stun' | 'bad-cookie' | 'malformed' | 'bad-fingerprint';

/** The outcome of `parseStunMessage`: a message, or the first reason it is not one. */
export type StunParseResult = { readonly ok: true; readonly message: StunMessage } | { readonly ok: false; readonly reason: StunParseFailure };

/** A transport address as STUN carries it (MAPPED-ADDRESS family 0x01 / 0x02). */
export interface StunAddress {
  readonly family: 'IPv4' | 'IPv6';
  readonly address: string;
  readonly port: number;
}

/** The fixed header: type, length, magic cookie, transaction id (RFC 8489 §5). */
export const stunHeaderBytes = 20;

/** Marks RFC 5389+ messages and keys the XOR of mapped addresses (RFC 8489 §5). */
export const stunMagicCookie = 0x2112a442;

/** The Binding method, the only one a plain STUN server implements (RFC 8489 §18.2). */
export const stunBindingMethod = 0x001;

/** Attribute types this codec reads or writes (RFC 8489 §18.3). */
export const stunAttribute = {
  xorMappedAddress: 0x0020,
  software: 0x8022,
  fingerprint: 0x8028,
  messageIntegrity: 0x0008,
} as const;

/** Transaction ids are 96 bits (RFC 8489 §5). */
const transactionIdBytes = 12;

/** Attribute header: type and length, 16 bits each. */
const attributeHeaderBytes = 4;

/** Attributes, and so message lengths, are padded to 32-bit boundaries (RFC 8489 §14). */
const attributeAlignBytes = 4;

/** FINGERPRINT is CRC-32 XORed with "STUN", so it never matches another protocol's CRC (RFC 8489 §14.7). */
const fingerprintXor = 0x5354554e;

/** The FINGERPRINT value is one 32-bit word. */
const fingerprintValueBytes = 4;

/** Family byte of an address attribute (RFC 8489 §14.1). */
const familyIPv4 = 0x01;
const familyIPv6 = 0x02;

const classNames: readonly StunClass[] = ['request', 'indication', 'success', 'error'];

/** Reads bytes off the wire; never throws, whatever the input. */
export function parseStunMessage(bytes: Uint8Array): StunParseResult {
  if (bytes.length < stunHeaderBytes) return { ok: false, reason: 'truncated' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = view.getUint16(0);
  const length = view.getUint16(2);
  // The top two bits of every STUN message are zero; this is how STUN is told from RTP/DTLS on a shared port.
  if ((type & 0xc000) !== 0) return { ok: false, reason: 'not-stun' };
  if (view.getUint32(4) !== stunMagicCookie) return { ok: false, reason: 'bad-cookie' };
  if (length > bytes.length - stunHeaderBytes) return { ok: false, reason: 'truncated' };
  if (length !== bytes.length - stunHeaderBytes || length % attributeAlignBytes !== 0) return { ok: false, reason: 'malformed' };

  const attributes: StunAttribute[] = [];
  let offset = stunHeaderBytes;
  while (offset < bytes.length) {
    if (offset + attributeHeaderBytes > bytes.length) return { ok: false, reason: 'malformed' };
    const valueLength = view.getUint16(offset + 2);
    const valueStart = offset + attributeHeaderBytes;
    if (valueStart + valueLength > bytes.length) return { ok: false, reason: 'malformed' };
    attributes.push({ type: view.getUint16(offset), value: bytes.subarray(valueStart, valueStart + valueLength), offset });
    offset = valueStart + padded(valueLength);
  }

  const fingerprintIndex = attributes.findIndex((attribute) => attribute.type === stunAttribute.fingerprint);
  const fingerprint = attributes[fingerprintIndex];
  if (fingerprint !== undefined) {
    // FINGERPRINT must be the last attribute (RFC 8489 §14.7) and covers every byte before it.
    if (fingerprintIndex !== attributes.length - 1 || fingerprint.value.length !== fingerprintValueBytes) {
      return { ok: false, reason: 'bad-fingerprint' };
    }
    const expected = fingerprintOf(bytes.subarray(0, fingerprint.offset));
    if (view.getUint32(fingerprint.offset + attributeHeaderBytes) !== expected) return { ok: false, reason: 'bad-fingerprint' };
  }

  return {
    ok: true,
    message: {
      method: methodOf(type),
      class: classNames[classBitsOf(type)] ?? 'request',
      transactionId: bytes.subarray(8, stunHeaderBytes),
      attributes,
      hasFingerprint: fingerprint !== undefined,
    },
  };
}

/** What to encode; attributes are written in order, zero-padded, then FINGERPRINT if asked. */
export interface StunMessageSpec {
  readonly method: number;
  readonly class: StunClass;
  readonly transactionId: Uint8Array;
  readonly attributes?: readonly { readonly type: number; readonly value: Uint8Array }[];
  readonly fingerprint?: boolean;
}

/** Encodes a message; throws on a transaction id that is not 12 bytes (a programming error). */
export function encodeStunMessage(spec: StunMessageSpec): Buffer {
  if (spec.transactionId.length !== transactionIdBytes) throw new RangeError('STUN transaction id must be 12 bytes');
  const attributes = spec.attributes ?? [];
  const bodyBytes = attributes.reduce((sum, a) => sum + attributeHeaderBytes + padded(a.value.length), 0);
  const fingerprintBytes = spec.fingerprint === true ? attributeHeaderBytes + fingerprintValueBytes : 0;
  const out = Buffer.alloc(stunHeaderBytes + bodyBytes + fingerprintBytes);
  out.writeUInt16BE(typeOf(spec.method, classNames.indexOf(spec.class)), 0);
  out.writeUInt16BE(bodyBytes + fingerprintBytes, 2);
  out.writeUInt32BE(stunMagicCookie, 4);
  out.set(spec.transactionId, 8);
  let offset = stunHeaderBytes;
  for (const attribute of attributes) {
    out.writeUInt16BE(attribute.type, offset);
    out.writeUInt16BE(attribute.value.length, offset + 2);
    out.set(attribute.value, offset + attributeHeaderBytes);
    offset += attributeHeaderBytes + padded(attribute.value.length);
  }
  if (spec.fingerprint === true) {
    out.writeUInt16BE(stunAttribute.fingerprint, offset);
    out.writeUInt16BE(fingerprintValueBytes, offset + 2);
    out.writeUInt32BE(fingerprintOf(out.subarray(0, offset)), offset + attributeHeaderBytes);
  }
  return out;
}

/** The XOR-MAPPED-ADDRESS value for `address` (RFC 8489 §14.2); an IPv4-mapped IPv6 address is sent as IPv4. */
export function encodeXorAddress(address: string, port: number, transactionId: Uint8Array): Uint8Array {
  const ip = addressBytes(address);
  if (ip === null) throw new RangeError('not an IP address');
  const out = new Uint8Array(attributeHeaderBytes + ip.length);
  out[1] = ip.length === 4 ? familyIPv4 : familyIPv6;
  const view = new DataView(out.buffer);
  view.setUint16(2, port ^ (stunMagicCookie >>> 16));
  const key = xorKey(transactionId);
  ip.forEach((byte, index) => (out[attributeHeaderBytes + index] = byte ^ (key[index] ?? 0)));
  return out;
}

/** Reads an XOR-MAPPED-ADDRESS value; null when the family or length is wrong. */
export function decodeXorAddress(value: Uint8Array, transactionId: Uint8Array): StunAddress | null {
  if (value.length < attributeHeaderBytes) return null;
  const family = value[1];
  const ipLength = family === familyIPv4 ? 4 : family === familyIPv6 ? 16 : 0;
  if (ipLength === 0 || value.length !== attributeHeaderBytes + ipLength) return null;
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
  const key = xorKey(transactionId);
  const ip = value.subarray(attributeHeaderBytes).map((byte, index) => byte ^ (key[index] ?? 0));
  return { family: ipLength === 4 ? 'IPv4' : 'IPv6', address: formatAddress(ip), port: view.getUint16(2) ^ (stunMagicCookie >>> 16) };
}

/** CRC-32 (ISO-HDLC, as zlib) of `bytes` XORed with "STUN": the FINGERPRINT value. */
export function fingerprintOf(bytes: Uint8Array): number {
  return (crc32(bytes) ^ fingerprintXor) >>> 0;
}

function padded(length: number): number {
  return Math.ceil(length / attributeAlignBytes) * attributeAlignBytes;
}

/** Method bits M0-M3, M4-M6, M7-M11 sit around the class bits C0 (bit 4) and C1 (bit 8). */
function methodOf(type: number): number {
  return (type & 0x000f) | ((type & 0x00e0) >> 1) | ((type & 0x3e00) >> 2);
}

function classBitsOf(type: number): number {
  return ((type >> 4) & 0x1) | ((type >> 7) & 0x2);
}

function typeOf(method: number, classBits: number): number {
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((classBits & 0x1) << 4) | ((classBits & 0x2) << 7);
}

/** The magic cookie then the transaction id: XORed over the address (IPv4 uses the first 4 bytes). */
function xorKey(transactionId: Uint8Array): Uint8Array {
  const key = new Uint8Array(4 + transactionIdBytes);
  new DataView(key.buffer).setUint32(0, stunMagicCookie);
  key.set(transactionId.subarray(0, transactionIdBytes), 4);
  return key;
}

/** Network-order bytes of an IP; `::ffff:a.b.c.d` becomes the 4 IPv4 bytes; a zone (`%eth0`) is dropped. */
function addressBytes(text: string): Uint8Array | null {
  const address = text.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address)?.[1];
  if (mapped !== undefined) return addressBytes(mapped);
  if (isIPv4(address)) return Uint8Array.from(address.split('.'), Number);
  if (!isIPv6(address)) return null;
  const [head = '', tail] = address.split('::', 2);
  const headGroups = ipv6Groups(head);
  const tailGroups = tail === undefined ? [] : ipv6Groups(tail);
  const groups = [...headGroups, ...new Array<number>(8 - headGroups.length - tailGroups.length).fill(0), ...tailGroups];
  const out = new Uint8Array(16);
  groups.forEach((group, index) => new DataView(out.buffer).setUint16(index * 2, group));
  return out;
}

/** Colon-separated 16-bit groups; a dotted IPv4 tail fills two groups. */
function ipv6Groups(part: string): number[] {
  if (part === '') return [];
  return part.split(':').flatMap((group) => {
    if (!group.includes('.')) return [Number.parseInt(group, 16)];
    const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
}

/** RFC 5952 text (lowercase, longest zero run of two or more groups as `::`), as node reports addresses. */
function formatAddress(ip: Uint8Array): string {
  if (ip.length === 4) return ip.join('.');
  const groups = Array.from({ length: 8 }, (_, index) => ((ip[index * 2] ?? 0) << 8) | (ip[index * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let start = 0; start < 8; start++) {
    let length = 0;
    while (start + length < 8 && groups[start + length] === 0) length++;
    if (length > bestLength) [bestStart, bestLength] = [start, length];
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
