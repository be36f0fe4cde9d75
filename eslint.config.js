// Lint is where the walls of the house are enforced: a wrong import fails `npm run lint`.
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

const noNodeBuiltins = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'Node builtins do not belong here.' })),
}
const electronOnlyInDesktop = {
  name: 'electron',
  message:
    'Only src/main/index.ts and src/main/desktop/** may import electron; the engine runs in plain Node.',
}

/** The walls, exported so a test can prove each one fires. */
export const walls = [
  {
    files: ['src/shared/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNodeBuiltins.paths, electronOnlyInDesktop],
          patterns: [
            {
              group: ['**/main/**', '**/main', '**/preload/**', '**/renderer/**'],
              message: 'src/shared is pure: it imports nothing from main, preload or renderer.',
            },
            { group: ['electron/*'], message: 'src/shared never imports electron.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...noNodeBuiltins.paths, electronOnlyInDesktop],
          patterns: [
            {
              group: ['**/main/**', '**/preload/**'],
              message: 'The renderer talks to main only through the typed client.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/index.ts', 'src/main/desktop/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnlyInDesktop],
          patterns: [
            { group: ['electron/*'], message: electronOnlyInDesktop.message },
            {
              group: ['**/renderer/**', '**/preload/**'],
              message: 'main does not import renderer or preload code.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: noNodeBuiltins.paths,
          patterns: [
            {
              // Anything but `electron`, the preload's own files, or ../shared/**.
              regex: '^(?!electron$)(?!\\./)(?!(\\.\\./)+shared(/|$))',
              message: 'The preload imports only src/shared and electron.',
            },
          ],
        },
      ],
    },
  },
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'out-test/**',
      'dist/**',
      'node_modules/**',
      'native/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  ...walls,
)
