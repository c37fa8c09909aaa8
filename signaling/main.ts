// Entry point: `node build/signaling/main.js` serves dist/ and the relay on one port.
import { fileURLToPath } from 'node:url';
import { errorForLog, logToStderr } from './log.js';
import { createRelay, type RelayOptions } from './relay.js';

/** Port when PORT is unset: the conventional unprivileged HTTP port. */
const defaultPort = 8080;

/** Bind address when HOST is unset: all interfaces, since this entry is what gets deployed. */
const defaultHost = '0.0.0.0';

/** The built page: build/signaling/main.js -> ../../dist at the package root. */
const staticDir = fileURLToPath(new URL('../../dist', import.meta.url));

/** TRUST_PROXY values that turn on `X-Forwarded-For` for the per-IP cap; anything else leaves it off. */
const trueValues = new Set(['1', 'true', 'yes']);

/** Reads the environment into relay options; throws a readable error for a bad PORT. */
function optionsFromEnv(env: NodeJS.ProcessEnv): RelayOptions {
  const port = env['PORT'] === undefined || env['PORT'] === '' ? defaultPort : Number(env['PORT']);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('PORT must be an integer 0-65535');
  const allowedOrigins = env['ALLOWED_ORIGINS']
    ?.split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
  return {
    port,
    host: env['HOST'] || defaultHost,
    staticDir,
    allowedOrigins: allowedOrigins === undefined || allowedOrigins.length === 0 ? undefined : allowedOrigins,
    log: logToStderr,
    trustProxy: trueValues.has((env['TRUST_PROXY'] ?? '').trim().toLowerCase()),
  };
}

async function main(): Promise<void> {
  const relay = await createRelay(optionsFromEnv(process.env));
  process.stdout.write(`Swarmdrop is running at http://localhost:${relay.address.port}\n`);
  const shutdown = (signal: NodeJS.Signals): void => {
    logToStderr({ event: 'shutdown', signal });
    relay.close().then(
      () => logToStderr({ event: 'stopped' }),
      (error: unknown) => {
        logToStderr({ event: 'shutdown-error', ...errorForLog(error) });
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  logToStderr({ event: 'startup-failed', ...errorForLog(error) });
  process.exitCode = 1;
});
