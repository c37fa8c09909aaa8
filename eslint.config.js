// Lint rules, including the layer boundaries of shared/DESIGN.md: core imports no adapter,
// and only one module each may import simple-peer (transport) and idb-keyval (storage).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const adapterPackages = ['react', 'react-dom', 'react-dom/*', 'simple-peer', 'idb-keyval'];

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
          paths: [
            { name: 'simple-peer', message: 'Only src/transport/ may import simple-peer.' },
            { name: 'idb-keyval', message: 'Only src/storage/ may import idb-keyval.' },
          ],
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
            { group: ['**/transport/**', '**/discovery/**', '**/storage/**', '**/ui/**'], message: 'src/core must not import adapters.' },
          ],
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
    files: ['signaling/**/*.ts', 'e2e/**/*.ts', 'bench/**/*.ts', '*.config.{ts,js}', 'src/test-support/**/*.ts', 'src/**/*.test.ts'],
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
