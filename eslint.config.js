// ESLint for the whole repository: ESLint's and typescript-eslint's recommended rules on every file, and the
// type-checked ones (no-floating-promises, no-misused-promises, await-thenable, no-unsafe-*, ...) on every
// TypeScript file, against the packages' tsconfigs, tsconfig.test.json (tests, fixtures, tool configs) and
// bench/tsconfig.json. A rule is tuned below only where it is wrong for this codebase, with the reason.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['**/dist/**', 'docs/api/**', '.nx/**', 'out/**', 'tmp/**', 'coverage/**', 'bench/dist/**'] },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        project: ['./packages/*/tsconfig.json', './tsconfig.test.json', './bench/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // The code writes `!` on indexed reads as if noUncheckedIndexedAccess were on, to mark where an index is known
      // to be in range; without that flag the rule calls every one "unnecessary" and would strip them all.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      // Shapes (`[2048,160]`) and exhaustive `never` fallbacks are printed in error messages on purpose.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowArray: true, allowNever: true }],
      // An async function without await is how an implementation of a Promise-returning interface (a table source,
      // an IO handler) turns a synchronous throw into a rejection; the rule flags only that pattern here.
      '@typescript-eslint/require-await': 'off',
      // The engine's patches save the methods they replace (URL.createObjectURL, os.cpus, Layer.apply, getConfig)
      // to call them with an explicit `this` or to restore them; the rule flagged only those saves.
      '@typescript-eslint/unbound-method': 'off',
      // `_name` marks a parameter an override must accept but does not use, or a property left out by destructuring.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // The optional native tfjs peers are imported under `@ts-ignore` with a reason: `@ts-expect-error` would fail
      // the build on a machine where they are installed.
      '@typescript-eslint/ban-ts-comment': ['error', { 'ts-ignore': 'allow-with-description' }],
      // `interface MmoeOptions extends OmoeOptions {}` names a model's options for the API reference.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
  {
    // Tests read the JSON that commands and files produce with JSON.parse and check it with expect(): typing each
    // parse would add casts, not safety (the expectation is the check).
    files: ['**/*.test.ts', 'tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' } },
  },
);
