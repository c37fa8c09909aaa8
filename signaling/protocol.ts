// The relay's wire protocol: JSON text frames, parsed at the boundary before anything trusts them.
import type { IceServer } from './ice-servers.js';
import { maxFrameBytes, maxTopicChars } from './limits.js';

/** A frame a client may send; anything else is rejected by `parseClientFrame`. */
export type ClientFrame =
  /** `peer`: the sender's opaque peer id in this topic, so messages addressed to it reach this socket. */
  | { readonly type: 'subscribe'; readonly topic: string; readonly peer?: string }
  | { readonly type: 'leave'; readonly topic: string }
  /** `to`: deliver to the member(s) subscribed as that peer only; absent: to the whole topic. */
  | { readonly type: 'publish'; readonly topic: string; readonly data: string; readonly to?: string }
  | { readonly type: 'ping' };

/** Stable error codes the browser client switches on. */
export type ErrorCode =
  | 'bad-json'
  | 'bad-frame'
  | 'unknown-type'
  | 'binary-not-allowed'
  | 'rate-limited'
  | 'not-subscribed'
  | 'too-many-topics'
  | 'topic-full';

/** Why a frame was refused by the parser; `message` never echoes the payload. */
export interface ParseError {
  readonly error: Extract<ErrorCode, 'bad-json' | 'bad-frame' | 'unknown-type' | 'binary-not-allowed'>;
  readonly message: string;
}

/** A frame the relay sends to a client. */
export type ServerFrame =
  | { readonly type: 'subscribed'; readonly topic: string; readonly peers: number }
  | { readonly type: 'left'; readonly topic: string }
  | { readonly type: 'message'; readonly topic: string; readonly data: string }
  | { readonly type: 'pong' }
  /** Sent first on every socket, and again before TURN credentials expire (null: they never do). */
  | { readonly type: 'ice-servers'; readonly iceServers: readonly IceServer[]; readonly validForMs: number | null }
  /** The other relays of this pool (they share rooms), for the page to fail over to; sent after ice-servers. */
  | { readonly type: 'relays'; readonly urls: readonly string[] }
  | { readonly type: 'error'; readonly code: ErrorCode; readonly message: string };

/** Size bounds the parser enforces; defaults follow limits.ts. */
export interface ProtocolLimits {
  readonly maxTopicChars: number;
  readonly maxDataChars: number;
}

/** The production bounds: a topic is a room id, data is at most one frame. */
export const defaultProtocolLimits: ProtocolLimits = { maxTopicChars, maxDataChars: maxFrameBytes };

/** Longest peer id: pages send 32 hex characters (128 bits); room for other encodings, not for payloads. */
export const maxPeerIdChars = 64;

/** Topic alphabet: base64url plus `_`/`-`, so a topic can never smuggle control or path characters. */
const topicCharsPattern = /^[A-Za-z0-9_-]+$/;

/** True when `value` is a topic the relay accepts. */
export function isTopic(value: unknown, limits: ProtocolLimits = defaultProtocolLimits): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= limits.maxTopicChars && topicCharsPattern.test(value);
}

/** Parses one ws message into a `ClientFrame`, or says why not. Never throws. */
export function parseClientFrame(
  raw: unknown,
  isBinary: boolean,
  limits: ProtocolLimits = defaultProtocolLimits,
): ClientFrame | ParseError {
  if (isBinary) return fail('binary-not-allowed', 'binary frames are not accepted');
  const text = rawToText(raw);
  if (text === null) return fail('bad-frame', 'frame is not text');
  const parsed = parseJson(text);
  if (parsed === undefined) return fail('bad-json', 'frame is not valid JSON');
  if (!isRecord(parsed)) return fail('bad-frame', 'frame must be a JSON object');
  return parseFields(parsed, limits);
}

/** Serializes a relay frame; one string per publish is reused for every recipient. */
export function encodeServerFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** True when the parser refused the frame. */
export function isParseError(value: ClientFrame | ParseError): value is ParseError {
  return 'error' in value;
}

function parseFields(frame: Record<string, unknown>, limits: ProtocolLimits): ClientFrame | ParseError {
  const { type } = frame;
  if (typeof type !== 'string') return fail('bad-frame', 'type must be a string');
  switch (type) {
    case 'ping':
      return { type };
    case 'subscribe':
      return parseSubscribe(frame, limits);
    case 'leave':
      return isTopic(frame['topic'], limits) ? { type, topic: frame['topic'] } : fail('bad-frame', 'invalid topic');
    case 'publish':
      return parsePublish(frame, limits);
    default:
      return fail('unknown-type', 'unknown frame type');
  }
}

/** True when `value` is a peer id the relay accepts: the topic alphabet, at most `maxPeerIdChars`. */
export function isPeerId(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 1 && value.length <= maxPeerIdChars && topicCharsPattern.test(value);
}

function parseSubscribe(frame: Record<string, unknown>, limits: ProtocolLimits): ClientFrame | ParseError {
  const { topic, peer } = frame;
  if (!isTopic(topic, limits)) return fail('bad-frame', 'invalid topic');
  if (peer === undefined) return { type: 'subscribe', topic };
  return isPeerId(peer) ? { type: 'subscribe', topic, peer } : fail('bad-frame', 'invalid peer id');
}

function parsePublish(frame: Record<string, unknown>, limits: ProtocolLimits): ClientFrame | ParseError {
  const { topic, data, to } = frame;
  if (!isTopic(topic, limits)) return fail('bad-frame', 'invalid topic');
  if (typeof data !== 'string') return fail('bad-frame', 'data must be a string');
  if (data.length > limits.maxDataChars) return fail('bad-frame', 'data too long');
  if (to === undefined) return { type: 'publish', topic, data };
  return isPeerId(to) ? { type: 'publish', topic, data, to } : fail('bad-frame', 'invalid recipient');
}

function rawToText(raw: unknown): string | null {
  if (typeof raw === 'string') return raw;
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  if (raw instanceof ArrayBuffer) return Buffer.from(raw).toString('utf8');
  if (Array.isArray(raw) && raw.every((part) => Buffer.isBuffer(part))) return Buffer.concat(raw).toString('utf8');
  return null;
}

/** `undefined` means "not JSON": JSON itself can never produce undefined. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(error: ParseError['error'], message: string): ParseError {
  return { error, message };
}
