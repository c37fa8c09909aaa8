// The throughput benchmark: the e2e suite's browser, flags and relay, one long "test" that prints figures.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from '../e2e/browser';

export default defineConfig({
  testDir: '.',
  testMatch: '*.bench.ts',
  // Two cores: the two peers of one transfer already use both; anything in parallel would skew figures.
  workers: 1,
  // 10 min in ms per bench: throughput (three raw runs, one Swarmdrop transfer) and swarm (three rounds) take ~1 min each,
  // memory (1 GiB between two persistent browsers, then saved) 2–3.5 min on a busy 2-core machine.
  timeout: 600_000,
  reporter: [['list']],
  // Same relay as e2e: serves dist/ on a random loopback port and sets SWARMDROP_URL.
  globalSetup: '../e2e/global-setup.ts',
  use: {
    acceptDownloads: true,
    launchOptions: { args: chromiumArgs, ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}) },
  },
});
