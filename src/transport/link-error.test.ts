import { describe, expect, it } from 'vitest';
import { isUnreachableError, linkError } from './link-error';

describe('which connection endings mean "no path to this peer"', () => {
  it.each([
    ['a connect timeout', linkError('ERR_CONNECT_TIMEOUT', 'x'), true],
    ['ICE restarts that gave up', linkError('ERR_UNREACHABLE', 'x'), true],
    ["simple-peer's ICE failure", Object.assign(new Error('Ice connection failed.'), { code: 'ERR_ICE_CONNECTION_FAILURE' }), true],
    ["simple-peer's connection failure", Object.assign(new Error('Connection failed.'), { code: 'ERR_CONNECTION_FAILURE' }), true],
    ['a fingerprint mismatch', linkError('ERR_FINGERPRINT_MISMATCH', 'x'), false],
    ['a declined invite (no code)', new Error('declined'), false],
    ['a normal close', undefined, false],
  ] as const)('%s: %s', (_label, error, expected) => {
    expect(isUnreachableError(error)).toBe(expected);
  });
});
