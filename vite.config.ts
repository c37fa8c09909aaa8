import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // simple-peer 9 and its readable-stream expect Node's `global`; the browser has `globalThis`.
  define: { global: 'globalThis' },
  build: { outDir: 'dist', sourcemap: true, target: 'es2022' },
  test: {
    include: ['src/**/*.test.ts', 'signaling/**/*.test.ts'],
    environment: 'node',
  },
});
