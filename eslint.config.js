// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Lint guards the architecture: which part may import which (see docs/HOUSE-STYLE.md), config read in one
 * place, no focused tests. Every message names what to do instead.
 */
const restricted = (...groups) => ['error', { patterns: groups }];

const noServerCode = {
  group: ['@mascot/server', '**/server/src/**'],
  message: 'Apps and packages never import server code; get API types from schema/ or a package.',
};
const noWidgetOrStudio = {
  group: ['@mascot/widget', '@mascot/studio', '**/widget/src/**', '**/studio/src/**'],
  message: 'The server never imports client apps; it serves their build output (widget/dist) instead.',
};
const noNodeInBrowser = {
  group: ['node:*', 'fs', 'path', 'crypto', 'http', 'net'],
  message: 'Browser code cannot use Node built-ins; use Web APIs (fetch, crypto.subtle, URL).',
};
const moduleInternals = {
  regex: '^\\.\\./(?!\\.)[^/]+/(?!index\\.ts$)',
  message: "Modules talk through each other's index.ts only; export what you need there.",
};
const coreInternals = {
  regex: '^\\.\\./\\.\\./core/[^/]+/(?!index\\.ts$)',
  message: "Import core plumbing through its folder's index.ts.",
};
const appModuleInternals = {
  regex: '^\\.\\./modules/[^/]+/(?!index\\.ts$)',
  message: "Compose modules through their index.ts; export what the app needs there.",
};

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.mascot/**', 'schema/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read configuration through server/src/core/config (loadConfig) and pass it down.' },
        { object: 'describe', property: 'only', message: 'Focused tests hide the rest of the suite; remove .only.' },
        { object: 'it', property: 'only', message: 'Focused tests hide the rest of the suite; remove .only.' },
        { object: 'test', property: 'only', message: 'Focused tests hide the rest of the suite; remove .only.' },
      ],
    },
  },
  {
    files: ['packages/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(noServerCode, noWidgetOrStudio) },
  },
  {
    files: ['server/src/modules/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(noWidgetOrStudio, moduleInternals, coreInternals) },
  },
  {
    files: ['server/src/app/**/*.ts'],
    rules: { 'no-restricted-imports': restricted(noWidgetOrStudio, appModuleInternals) },
  },
  {
    files: ['server/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': restricted(noWidgetOrStudio, {
        group: ['**/modules/**', '**/app/**'],
        message: 'core/ is domain-free plumbing; pass what it needs in from app/ (composition).',
      }),
    },
  },
  {
    files: ['widget/src/**/*.{ts,tsx}', 'server/explorer/src/**/*.{ts,tsx}', 'server/console/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': restricted(noServerCode, noNodeInBrowser) },
  },
  {
    // Studio's main process and preload are Node code that talks to a server only through the API.
    files: ['studio/src/**/*.{ts,tsx}'],
    ignores: ['studio/src/**/*.test.ts'],
    rules: { 'no-restricted-imports': restricted(noServerCode) },
  },
  {
    // Studio's renderer is a sandboxed web page: no Node, no Electron; window.studio is its only bridge.
    files: ['studio/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': restricted(noServerCode, noNodeInBrowser, {
        group: ['electron', '**/main/**', '**/preload/**'],
        message: 'The renderer reaches the main process only through window.studio (src/preload).',
      }),
    },
  },
  {
    // Widget unit tests run in Node and may read fixtures such as schema/schema.graphql.
    files: ['widget/src/**/*.test.ts', 'server/explorer/src/**/*.test.ts'],
    rules: { 'no-restricted-imports': restricted(noServerCode) },
  },
  {
    // The only places that read the environment: config parsing, process entry points, test and bench harnesses.
    files: [
      'server/src/core/config/**', 'server/src/main.ts', 'server/src/test/**', '**/*.test.ts', 'bench/**', 'scripts/**', 'e2e/**', 'studio/e2e/**', '*.config.ts',
      // Runnable examples are programs a partner starts with their own environment.
      'packages/*/examples/**',
    ],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only', message: 'Focused tests hide the rest of the suite; remove .only.' },
        { object: 'it', property: 'only', message: 'Focused tests hide the rest of the suite; remove .only.' },
        { object: 'test', property: 'only', message: 'Focused tests hide the rest of the suite; remove .only.' },
      ],
    },
  },
);
