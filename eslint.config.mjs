// House rules as lint rules (STYLE.md): only the CLI prints and exits; plugins use only the
// kernel's public entry and never import each other.
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'tmp/**', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only packages/cli exits; libraries return results and throw coded errors.' }],
    },
  },
  {
    files: ['packages/cli/src/**', 'tools/**', 'e2e/**', '**/*.test.ts', 'examples/**'],
    rules: { 'no-console': 'off', 'no-restricted-properties': 'off' },
  },
  {
    files: ['plugins/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/packages/**', '@oraclekit/kernel/src/**', '@oraclekit/kernel/dist/**'], message: 'Plugins import only @oraclekit/kernel (and @oraclekit/kernel/intent in workers).' },
            { group: ['@oraclekit/*', '!@oraclekit/kernel'], message: 'Plugins never import each other; meet through kernel extension points and shared schemas.' },
            { group: ['**/plugins/*/src/**', '../../*/src/**'], message: 'Plugins never import each other.' },
          ],
        },
      ],
    },
  },
)
