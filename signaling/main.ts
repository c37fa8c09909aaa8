// Entry point: `node build/signaling/main.js` serves dist/, the relay and STUN from one process.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, parseConfig, type ServerConfig } from './config.js';
import { fitCapToFiles, openFilesLimit } from './file-limit.js';
import { errorForLog, logToStderr } from './log.js';
import { createRelay, type Relay } from './relay.js';
import { startupLines } from './startup-lines.js';

/** The built page: build/signaling/main.js -> ../../dist at the package root. */
const staticDir = fileURLToPath(new URL('../../dist', import.meta.url));

/** The configured caps, with the socket cap fitted under this process's open-files limit. */
function capsFor(config: ServerConfig): { limits: ServerConfig['limits']; notice: string | null } {
  const setByOperator = (process.env['MAX_CONNECTIONS'] ?? '').trim() !== '';
  const fitted = fitCapToFiles(config.limits.maxConnections, setByOperator, openFilesLimit(() => readFileSync('/proc/self/limits', 'utf8')));
  const maxConnectionsPerIp = Math.min(config.limits.maxConnectionsPerIp, fitted.maxConnections);
  return { limits: { ...config.limits, maxConnections: fitted.maxConnections, maxConnectionsPerIp }, notice: fitted.notice };
}

async function start(config: ServerConfig, limits: ServerConfig['limits']): Promise<Relay> {
  return createRelay({
    port: config.port,
    host: config.host,
    staticDir,
    allowedOrigins: config.allowedOrigins,
    log: logToStderr,
    trustProxy: config.trustProxy,
    tls: config.tls,
    stunPort: config.stunPort,
    ice: config.ice,
    limits,
    redisUrl: config.redisUrl,
    relayUrls: config.relayUrls,
  });
}

async function main(): Promise<void> {
  let config: ServerConfig;
  try {
    config = parseConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Swarmdrop cannot start: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const caps = capsFor(config);
  const relay = await start(config, caps.limits);
  for (const line of startupLines(relay.address, config.host, config.tls !== null)) process.stdout.write(`${line}\n`);
  if (caps.notice !== null) process.stdout.write(`${caps.notice}\n`);
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
  process.stderr.write(`Swarmdrop cannot start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
