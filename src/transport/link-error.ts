// Errors a connection ends with carry a stable `code` (as simple-peer's own do), so callers decide
// on the code and never on the wording.

/** Our codes, plus simple-peer's ICE/DTLS failures that mean "no path to this peer". */
export type LinkErrorCode =
  | 'ERR_CONNECT_TIMEOUT'
  | 'ERR_UNREACHABLE'
  | 'ERR_FINGERPRINT_MISMATCH'
  | 'ERR_BAD_SIGNAL'
  | 'ERR_PEER_NOT_READING';

/** Codes that mean no network path could be found or kept (simple-peer's two included). */
const unreachableCodes = new Set(['ERR_CONNECT_TIMEOUT', 'ERR_UNREACHABLE', 'ERR_ICE_CONNECTION_FAILURE', 'ERR_CONNECTION_FAILURE']);

/** An Error with a stable code. */
export function linkError(code: LinkErrorCode, message: string): Error & { code: LinkErrorCode } {
  return Object.assign(new Error(message), { code });
}

/** True when a connection ended because no path to the peer worked. */
export function isUnreachableError(error: Error | undefined): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && unreachableCodes.has(code);
}
