import { describe, expect, it } from 'vitest';
import { parseClientFrame, type ClientFrame, type ParseError } from './protocol.js';

const text = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

const accepted: readonly { readonly name: string; readonly raw: unknown; readonly frame: ClientFrame }[] = [
  { name: 'ping', raw: text({ type: 'ping' }), frame: { type: 'ping' } },
  { name: 'subscribe', raw: text({ type: 'subscribe', topic: 'abc_DEF-123' }), frame: { type: 'subscribe', topic: 'abc_DEF-123' } },
  { name: 'leave', raw: text({ type: 'leave', topic: 'room' }), frame: { type: 'leave', topic: 'room' } },
  {
    name: 'publish',
    raw: text({ type: 'publish', topic: 'room', data: 'sealed' }),
    frame: { type: 'publish', topic: 'room', data: 'sealed' },
  },
  {
    name: 'subscribe as a peer',
    raw: text({ type: 'subscribe', topic: 'room', peer: 'a'.repeat(32) }),
    frame: { type: 'subscribe', topic: 'room', peer: 'a'.repeat(32) },
  },
  {
    name: 'publish to one peer',
    raw: text({ type: 'publish', topic: 'room', data: 'sealed', to: '0f'.repeat(16) }),
    frame: { type: 'publish', topic: 'room', data: 'sealed', to: '0f'.repeat(16) },
  },
  { name: 'publish with empty data', raw: text({ type: 'publish', topic: 'r', data: '' }), frame: { type: 'publish', topic: 'r', data: '' } },
  { name: '128-char topic', raw: text({ type: 'subscribe', topic: 'a'.repeat(128) }), frame: { type: 'subscribe', topic: 'a'.repeat(128) } },
  { name: 'extra fields are ignored', raw: text({ type: 'ping', extra: 1 }), frame: { type: 'ping' } },
  { name: 'string input', raw: '{"type":"ping"}', frame: { type: 'ping' } },
  { name: 'fragmented Buffer[] input', raw: [Buffer.from('{"type":'), Buffer.from('"ping"}')], frame: { type: 'ping' } },
  { name: 'ArrayBuffer input', raw: new TextEncoder().encode('{"type":"ping"}').buffer, frame: { type: 'ping' } },
];

const rejected: readonly { readonly name: string; readonly raw: unknown; readonly binary?: boolean; readonly error: ParseError['error'] }[] = [
  { name: 'not JSON', raw: Buffer.from('hello'), error: 'bad-json' },
  { name: 'truncated JSON', raw: Buffer.from('{"type":"ping"'), error: 'bad-json' },
  { name: 'empty frame', raw: Buffer.alloc(0), error: 'bad-json' },
  { name: 'binary frame', raw: text({ type: 'ping' }), binary: true, error: 'binary-not-allowed' },
  { name: 'array', raw: text([{ type: 'ping' }]), error: 'bad-frame' },
  { name: 'null', raw: text(null), error: 'bad-frame' },
  { name: 'number', raw: text(42), error: 'bad-frame' },
  { name: 'string', raw: text('ping'), error: 'bad-frame' },
  { name: 'missing type', raw: text({ topic: 'room' }), error: 'bad-frame' },
  { name: 'numeric type', raw: text({ type: 1 }), error: 'bad-frame' },
  { name: 'unknown type', raw: text({ type: 'shout' }), error: 'unknown-type' },
  { name: 'prototype-ish type', raw: text({ type: 'constructor' }), error: 'unknown-type' },
  { name: 'subscribe without topic', raw: text({ type: 'subscribe' }), error: 'bad-frame' },
  { name: 'numeric topic', raw: text({ type: 'subscribe', topic: 7 }), error: 'bad-frame' },
  { name: 'empty topic', raw: text({ type: 'subscribe', topic: '' }), error: 'bad-frame' },
  { name: 'topic with a slash', raw: text({ type: 'subscribe', topic: 'a/b' }), error: 'bad-frame' },
  { name: 'topic with a space', raw: text({ type: 'leave', topic: 'a b' }), error: 'bad-frame' },
  { name: 'topic with non-ASCII', raw: text({ type: 'subscribe', topic: 'rüm' }), error: 'bad-frame' },
  { name: 'topic with a newline', raw: text({ type: 'subscribe', topic: 'a\nb' }), error: 'bad-frame' },
  { name: '129-char topic', raw: text({ type: 'subscribe', topic: 'a'.repeat(129) }), error: 'bad-frame' },
  { name: 'huge topic', raw: text({ type: 'subscribe', topic: 'a'.repeat(60_000) }), error: 'bad-frame' },
  { name: 'publish with object data', raw: text({ type: 'publish', topic: 'r', data: { x: 1 } }), error: 'bad-frame' },
  { name: 'publish with numeric data', raw: text({ type: 'publish', topic: 'r', data: 1 }), error: 'bad-frame' },
  { name: 'publish without data', raw: text({ type: 'publish', topic: 'r' }), error: 'bad-frame' },
  { name: 'publish with bad topic', raw: text({ type: 'publish', topic: '../x', data: 'd' }), error: 'bad-frame' },
  { name: 'publish with oversize data', raw: text({ type: 'publish', topic: 'r', data: 'x'.repeat(64 * 1024 + 1) }), error: 'bad-frame' },
  { name: 'subscribe with a numeric peer', raw: text({ type: 'subscribe', topic: 'r', peer: 1 }), error: 'bad-frame' },
  { name: 'subscribe with an empty peer', raw: text({ type: 'subscribe', topic: 'r', peer: '' }), error: 'bad-frame' },
  { name: 'subscribe with a 65-char peer', raw: text({ type: 'subscribe', topic: 'r', peer: 'a'.repeat(65) }), error: 'bad-frame' },
  { name: 'publish to a peer with a slash', raw: text({ type: 'publish', topic: 'r', data: 'd', to: 'a/b' }), error: 'bad-frame' },
  { name: 'publish to a null peer', raw: text({ type: 'publish', topic: 'r', data: 'd', to: null }), error: 'bad-frame' },
  { name: 'not a buffer at all', raw: 12, error: 'bad-frame' },
  { name: 'array of non-buffers', raw: ['{"type":"ping"}'], error: 'bad-frame' },
  { name: 'undefined', raw: undefined, error: 'bad-frame' },
];

describe('parseClientFrame', () => {
  it.each(accepted)('accepts $name', ({ raw, frame }) => {
    expect(parseClientFrame(raw, false)).toEqual(frame);
  });

  it.each(rejected)('rejects $name', ({ raw, binary = false, error }) => {
    const result = parseClientFrame(raw, binary);
    expect(result).toMatchObject({ error });
    expect((result as ParseError).message).not.toContain('hello');
  });
});
