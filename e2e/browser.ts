// How the tests launch Chromium: Debian's /usr/bin/chromium when present (Playwright cannot download
// its own here), else Playwright's bundled browser; with the flags WebRTC on loopback needs.
import { existsSync } from 'node:fs';

/** Debian's Chromium, or undefined to use Playwright's own. */
export const chromiumExecutable = existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;

/** Headless flags that work on the CI machine, plus loopback ICE and auto-granted media (shared/MEASURED.md). */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream',
];
