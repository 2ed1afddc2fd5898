// ESLint: typescript-eslint's type-aware recommended rules and the hooks rules (Preact's hooks
// follow React's: rules-of-hooks and exhaustive-deps only; the plugin's React-Compiler rules do not
// apply to Preact). Formatting is prettier's (.prettierrc.json), not ESLint's.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench-results/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
      // Matching control characters is the point where they occur (sanitizing hostile header values).
      'no-control-regex': 'off',
      'no-empty': ['error', { allowEmptyCatch: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
      // JSX handlers may be async: Preact ignores their return value, and each one catches its own errors.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      // In-memory stand-ins implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    // Component props are plain callbacks, never methods that need `this`.
    files: ['**/*.tsx'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    // Injected into the inspected page: it keeps the page's own fetch/XHR/addEventListener and calls
    // them with .call/.apply and the page's `this`, which these two rules exist to flag.
    files: ['src/devtools/pageview-wrapper.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off', '@typescript-eslint/no-this-alias': 'off' },
  },
);
