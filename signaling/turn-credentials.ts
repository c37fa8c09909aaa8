// Per-client, time-limited TURN credentials in the scheme coturn checks with `use-auth-secret`
// (the "TURN REST API" of draft-uberti-behave-turn-rest): the username carries its own expiry, and
// the password is an HMAC of the username under the secret coturn and the relay share.
import { createHmac, randomBytes } from 'node:crypto';

/** One minted credential; `expiresAtMs` is when coturn starts refusing it. */
export interface TurnCredential {
  readonly username: string;
  readonly credential: string;
  readonly expiresAtMs: number;
}

/** Random bytes in each username: two clients minted in the same second still get different names. */
const usernameRandomBytes = 8;

/** The password coturn expects for `username`: base64(HMAC-SHA1(secret, username)). */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username).digest('base64');
}

/** Mints a credential valid for `ttlS` seconds from `nowMs`: username `<expiry-unix-seconds>:<random hex>`. */
export function mintTurnCredential(
  secret: string,
  ttlS: number,
  nowMs: number,
  random: (bytes: number) => Buffer = randomBytes,
): TurnCredential {
  const expirySeconds = Math.floor(nowMs / 1000) + ttlS;
  const username = `${expirySeconds}:${random(usernameRandomBytes).toString('hex')}`;
  return { username, credential: turnPassword(secret, username), expiresAtMs: expirySeconds * 1000 };
}
