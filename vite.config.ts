import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { defineConfig } from 'vitest/config';
import { build, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** The service worker's source. It is built on its own, to /sw.js: a classic worker shares no chunk with the page. */
const serviceWorkerEntry = 'src/sw/main.ts';

/** Every file under `dir` as [site path, bytes]: the public files Vite copies to the site root. */
function publicFiles(dir: string): [string, Uint8Array][] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  return files.map((entry) => {
    const path = join(entry.parentPath, entry.name);
    return [`/${relative(dir, path).split(sep).join('/')}`, readFileSync(path)];
  });
}

/**
 * Builds the service worker after the page, with the list of files it keeps for offline use (this
 * build's index.html, hashed assets and public files; no source maps) and a hash of their contents, so
 * each build keeps its own shell and drops the last one.
 */
function serviceWorker(): Plugin {
  let root = process.cwd();
  let publicDir: string | false = false;
  return {
    name: 'swarmdrop-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      root = config.root;
      publicDir = config.publicDir || false;
    },
    async generateBundle(_options, bundle) {
      const built = Object.values(bundle)
        .filter((file) => !file.fileName.endsWith('.map'))
        .map((file): [string, string | Uint8Array] => [`/${file.fileName}`, file.type === 'chunk' ? file.code : file.source]);
      const files = [...built, ...(publicDir ? publicFiles(publicDir) : [])].sort(([a], [b]) => a.localeCompare(b));
      const hash = createHash('sha256');
      for (const [path, content] of files) hash.update(path).update('\0').update(content).update('\0');
      const shell = { version: hash.digest('hex').slice(0, 16), files: files.map(([path]) => path) };
      const result = await build({
        root,
        configFile: false,
        publicDir: false,
        logLevel: 'warn',
        define: { __SWARMDROP_SHELL__: JSON.stringify(shell) },
        build: {
          write: false,
          target: 'es2022',
          minify: true,
          lib: { entry: resolve(root, serviceWorkerEntry), formats: ['iife'], name: 'swarmdropServiceWorker', fileName: () => 'sw.js' },
        },
      });
      const outputs = Array.isArray(result) ? result : [result];
      const chunk = outputs.flatMap((out) => ('output' in out ? out.output : [])).find((file) => file.type === 'chunk');
      if (!chunk || chunk.type !== 'chunk') throw new Error(`building ${serviceWorkerEntry} produced no script`);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source: chunk.code });
    },
  };
}

export default defineConfig({
  plugins: [react(), serviceWorker()],
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
    include: ['src/**/*.test.ts', 'signaling/**/*.test.ts', 'bench/sim/**/*.test.ts'],
    environment: 'node',
  },
});
