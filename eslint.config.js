// Lint rules, including the layer boundaries of shared/DESIGN.md: core imports no adapter,
// and only one module each may import simple-peer (transport) and idb-keyval (storage).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const adapterPackages = ['react', 'react-dom', 'react-dom/*', 'simple-peer', 'idb-keyval'];

/** Packages that one adapter alone may import. */
const singleOwnerPackages = [
  { name: 'simple-peer', message: 'Only src/transport/ may import simple-peer.' },
  { name: 'idb-keyval', message: 'Only src/storage/ may import idb-keyval.' },
];

/** Page globals the pure core must not touch (WebCrypto, timers and the language's own stay allowed). */
const domGlobals = [
  'window', 'self', 'document', 'navigator', 'location', 'history', 'localStorage', 'sessionStorage', 'indexedDB',
  'fetch', 'XMLHttpRequest', 'WebSocket', 'BroadcastChannel', 'RTCPeerConnection', 'RTCDataChannel', 'RTCSessionDescription',
  'RTCIceCandidate', 'HTMLElement', 'Element', 'Node', 'DOMException', 'FileReader', 'MessageEvent', 'CustomEvent',
  'addEventListener', 'removeEventListener', 'requestAnimationFrame', 'alert',
];

export default tseslint.config(
  { ignores: ['dist/', 'build/', 'node_modules/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { globals: globals.browser },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: singleOwnerPackages,
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: adapterPackages, message: 'src/core is pure: no React, simple-peer or idb-keyval.' },
            { group: ['**/transport/**', '**/discovery/**', '**/storage/**', '**/files/**', '**/ui/**', '**/app/**'], message: 'src/core must not import adapters or the layers above it.' },
          ],
        },
      ],
      // The core sees WebCrypto and the language's own globals, never the page: no DOM, no storage, no network.
      'no-restricted-globals': ['error', ...domGlobals.map((name) => ({ name, message: 'src/core sees no DOM globals: take it through a port.' }))],
    },
  },
  {
    // The application layer talks to storage, files, discovery and transport only through ports in core.
    files: ['src/app/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: adapterPackages, message: 'src/app uses no UI framework or adapter library.' },
            { group: ['**/transport/**', '**/discovery/**', '**/storage/**', '**/files/**', '**/ui/**'], message: 'src/app imports ports (in src/core), not adapters.' },
          ],
        },
      ],
    },
  },
  {
    // The UI reads the core and the application layer, nothing below them.
    files: ['src/ui/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: singleOwnerPackages,
          patterns: [{ group: ['**/transport/**', '**/discovery/**', '**/storage/**', '**/files/**'], message: 'src/ui imports only src/core and src/app.' }],
        },
      ],
    },
  },
  {
    files: ['src/transport/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'idb-keyval', message: 'Only src/storage/ may import idb-keyval.' }] }] },
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'simple-peer', message: 'Only src/transport/ may import simple-peer.' }] }] },
  },
  {
    // Dropped files: stores nothing itself, so it gets the chunk store passed in rather than importing it.
    files: ['src/files/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: singleOwnerPackages,
          patterns: [{ group: ['**/transport/**', '**/discovery/**', '**/storage/**', '**/ui/**'], message: 'src/files is given the stores it uses.' }],
        },
      ],
    },
  },
  {
    files: ['signaling/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', '*.config.{ts,js}', 'src/test-support/**/*.ts', 'src/**/*.test.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
