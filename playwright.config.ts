// End-to-end tests: real Chromium, one browser context per peer, a real relay started in global setup.
import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './e2e/browser';

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  // Two cores: peers of one test already use both; tests run one at a time.
  workers: 1,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  globalSetup: './e2e/global-setup.ts',
  use: {
    acceptDownloads: true,
    launchOptions: { args: chromiumArgs, ...(chromiumExecutable ? { executablePath: chromiumExecutable } : {}) },
  },
});
