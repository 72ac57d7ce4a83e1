import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@cloud-copilot/iam-simulate', '@cloud-copilot/iam-simulate/*'],
              message: 'iam-simulate is AGPL: only test/differential and bench may use it',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/differential/**', 'bench/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
