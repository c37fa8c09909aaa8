// Starts one real relay (serving the built page) on a random loopback port for the whole run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRelay } from '../signaling/relay.js';

/** The built page: dist/, or SWARMDROP_DIST (a private build, so parallel work does not share one). */
const distDir = process.env.SWARMDROP_DIST ?? fileURLToPath(new URL('../dist', import.meta.url));

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(`${distDir}/index.html`)) throw new Error('dist/ is missing: run `npm run build` first');
  const relayLog: string[] = [];
  // As `npm start` does: the built-in STUN responder on the HTTP port's number, told to every page.
  const relay = await createRelay({
    port: 0,
    host: '127.0.0.1',
    staticDir: distDir,
    stunPort: 'same-as-port',
    log: (entry) => relayLog.push(JSON.stringify(entry)),
  });
  process.env.SWARMDROP_URL = `http://localhost:${relay.address.port}/`;
  return async () => {
    await relay.close();
  };
}
