// Lint: typescript-eslint's recommended rules; `any` needs a disable comment
// with a reason (eslint-disable-next-line ... -- why).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {ignores: ['dist/**', 'node_modules/**', 'src/gen/**', 'coverage/**']},
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', structuredClone: 'readonly', fetch: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly'},
    },
    linterOptions: {reportUnusedDisableDirectives: 'error'},
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none'}],
      'no-constant-condition': ['error', {checkLoops: false}],
    },
  },
  // bin/ is CommonJS (bin/package.json: an ES module entry costs every command Node's ESM loader); so are .cjs fixtures.
  {
    files: ['bin/**/*.js', '**/*.cjs'],
    languageOptions: {sourceType: 'commonjs', globals: {require: 'readonly', __dirname: 'readonly', __filename: 'readonly', module: 'readonly'}},
    rules: {'@typescript-eslint/no-require-imports': 'off'},
  },
);
