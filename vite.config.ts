import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // HACK: simple-peer 9's npm entry needs Node's `events`, `util`, `process` and `global` under a
    // bundler; its own prebuilt browser bundle carries them. shared/MEASURED.md, "Bundling".
    alias: { 'simple-peer': 'simple-peer/simplepeer.min.js' },
  },
  server: {
    // `npm run dev`: the relay runs on its own (npm start, port 8080); the dev page reaches it here.
    proxy: { '/signal': { target: 'ws://localhost:8080', ws: true } },
  },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  test: {
    include: ['src/**/*.test.ts', 'signaling/**/*.test.ts'],
    environment: 'node',
  },
});
