import tseslint from 'typescript-eslint';

/**
 * Layer rules: the engine imports nothing outside itself; the job system knows no features;
 * HTTP and CLI are edges that never reach into stores directly.
 */
const restrict = (patterns) => ['error', { patterns }];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', 'coverage/**', 'web/dist/**', 'dist/**', '.vitest-tmp/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'max-lines': ['warn', { max: 400, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['node:*', '../*', '!./*'], message: 'The engine is pure: import only from inside src/engine.' },
      ]),
    },
  },
  {
    files: ['src/jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/export/**', '**/clustering/**', '**/http/**', '**/cli/**', '**/main/**'], message: 'The job system knows no features or edges.' },
      ]),
    },
  },
  {
    files: ['src/http/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict([
        { group: ['**/store/sqlite/**', '**/store/postgres/**', '**/jobs/sqlite/**', '**/jobs/pg-boss/**'], message: 'Edges talk to services; wiring lives in src/main.' },
      ]),
    },
  },
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts'],
    rules: { 'max-lines': 'off' },
  },
);
