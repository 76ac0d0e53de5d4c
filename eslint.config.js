// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'web/vendor/**',
      'test-output/**',
      'coverage/**',
      'eslint.config.js',
      'client/schema.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The dashboard's plain browser JavaScript (no build step): recommended rules, browser globals, no types.
  {
    files: ['web/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: globals.browser,
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, eqeqeq: ['error', 'always'] },
  },
  // Plain Node scripts that run before the build (scripts/start.js): recommended rules, Node globals, no types.
  {
    files: ['scripts/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'module',
      globals: globals.node,
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, eqeqeq: ['error', 'always'] },
  },
  // Dependency rules of docs/ARCHITECTURE: domain → domain only; app → domain, ports;
  // storage → ports, domain types; http → app, schemas, domain/errors.
  {
    files: ['src/domain/**/*.ts'],
    rules: restrict([
      {
        group: [
          'fastify',
          'fastify-*',
          '@fastify/*',
          'kysely',
          'pg',
          'better-sqlite3',
          'node:*',
          'mathjs',
          'zod',
        ],
        message: 'The domain core is pure: no framework, driver, I/O or parsing library.',
      },
      {
        group: ['**/app/**', '**/http/**', '**/storage/**', '**/config*', '**/server*', '../../schemas/**'],
        message: 'domain imports domain only',
      },
    ]),
  },
  {
    files: ['src/app/**/*.ts'],
    rules: restrict([
      {
        group: ['fastify', 'fastify-*', '@fastify/*', 'kysely', 'pg', 'better-sqlite3'],
        message: 'use cases talk to ports, not drivers or HTTP',
      },
      { group: ['**/http/**', '**/storage/**', '**/server*'], message: 'app → domain, ports only' },
    ]),
  },
  {
    files: ['src/storage/**/*.ts'],
    rules: restrict([
      { group: ['fastify', 'fastify-*', '@fastify/*'], message: 'storage does not know HTTP' },
      { group: ['**/http/**', '**/server*'], message: 'storage → ports, domain types' },
    ]),
  },
  {
    files: ['src/render/**/*.ts'],
    rules: restrict([
      {
        group: ['fastify', 'fastify-*', '@fastify/*', 'kysely', 'pg', 'better-sqlite3'],
        message: 'renderers lay out domain documents; they know neither HTTP nor storage',
      },
      { group: ['**/http/**', '**/storage/**', '**/app/**', '**/server*'], message: 'render → domain only' },
    ]),
  },
  {
    files: ['schemas/**/*.ts'],
    rules: restrict([
      {
        group: ['fastify', '@fastify/*', 'kysely', '**/storage/**', '**/http/**', '**/app/**'],
        message: 'schemas → zod (and domain types)',
      },
    ]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
