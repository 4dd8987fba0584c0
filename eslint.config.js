// Lint rules: JavaScript's and typescript-eslint's recommended sets, and no import cycle. import-x's no-cycle skips
// type-only imports; test/architecture/import-cycles.test.ts checks those too, and the arrows between rooms.
// Formatting is prettier's (`npm run format` applies it, `npm run lint` checks it after eslint), not a lint rule.
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/', 'native/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }], 'import-x/no-duplicates': 'error' },
  },
  {
    // The store answers with promises (a database server is a network away): a call whose promise nobody awaits is a
    // write that may land after what follows it, or an error nobody sees. Type-aware, so for the sources only.
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error', '@typescript-eslint/no-misused-promises': 'error' },
  },
  {
    languageOptions: { globals: globals.node },
    rules: {
      // `_name` marks a value taken apart on purpose (`const { seed: _seed, ...rest } = config`).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      // Terminal escapes (ESC, BEL) are what the plain output and its tests look for on purpose.
      'no-control-regex': 'off',
      // A file may opt out of type checking only with its reason (the report's browser code, compiled without DOM types).
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-nocheck': 'allow-with-description' }],
    },
  },
  {
    // A better-sqlite3 object the garbage collector destroys can abort the process on Node 24: every connection is made
    // by connect() in src/store/sqlite/sqlite-connection.ts, which keeps its objects alive. Types may be imported anywhere.
    files: ['**/*.{ts,tsx,js,mjs}'],
    ignores: ['src/store/sqlite/sqlite-connection.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'better-sqlite3',
              message:
                'open SQLite with connect() from src/store/sqlite/sqlite-connection.ts (it keeps its objects alive)',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);
