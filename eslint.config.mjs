// Type-aware lint (typescript-eslint recommendedTypeChecked through the project service): the
// .ts sources and tests and the .mjs scripts alike, all in tsconfig.json (allowJs, checkJs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.cache/**',
      'test-output/**',
      'test/fixtures/**',
      '.vscode-test/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        window: 'readonly',
        document: 'readonly',
      },
    },
    rules: {
      // In recommendedTypeChecked already; named here because the build depends on them: a
      // dropped promise is an unhandled rejection in the extension host, or a kill never awaited.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports.' },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/**', 'src/extension.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [{ name: 'vscode', message: 'Only src/vscode/ and src/extension.ts may import vscode.' }] },
      ],
    },
  },
  {
    // VS Code turns `[label](command:…)` in message text into a clickable command link: every
    // notification and modal goes through src/vscode/messages.ts, which strips link syntax.
    files: ['src/**/*.ts'],
    ignores: ['src/vscode/messages.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'No default exports.' },
        {
          selector: 'MemberExpression[property.name=/^show(Information|Warning|Error)Message$/]',
          message: 'Show messages through src/vscode/messages.ts (notify/modal): it strips link syntax.',
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // A fake of a Promise-returning interface reads best as an `async` method that returns at once.
      '@typescript-eslint/require-await': 'off',
      // vitest's asymmetric matchers (expect.stringContaining, expect.any, …) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
  {
    files: ['**/*.mjs', 'eslint.config.mjs', 'vitest.config.mts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
