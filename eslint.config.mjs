// ESLint for the extension and its tests: typescript-eslint's recommended rules plus the few the VS Code
// extension generator sets up. `npm run lint` runs it and Prettier's check; `npm test` runs lint first.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import l10n from './eslint-rules/l10n.mjs';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', 'test-results/**', '.vscode-test/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/naming-convention': ['error', { selector: 'import', format: ['camelCase', 'PascalCase'] }],
      // Single-line guards without braces are this codebase's style; anything longer has them.
      curly: ['error', 'multi-line'],
      eqeqeq: 'error',
      'no-throw-literal': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Every word a person reads is localisable (eslint-rules/l10n.mjs says what counts).
    files: ['src/**/*.ts'],
    plugins: { l10n },
    rules: { 'l10n/user-facing-strings': 'error' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: {
      globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly', __dirname: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
