import tseslint from 'typescript-eslint'
import pluginVue from 'eslint-plugin-vue'

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'net',
  'url',
  'worker_threads',
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      '.tmp/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  ...tseslint.configs.recommended,
  ...pluginVue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // The renderer and the contract know nothing of Electron or Node: they cross only the bridge.
    files: ['renderer/**/*.{ts,vue}', 'electron/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks to main only through src/bridge.ts.' },
          ],
          patterns: [
            {
              group: nodeBuiltins,
              message: 'No Node modules in the renderer or the shared contract.',
            },
            {
              group: ['**/electron/core/**', '**/electron/main/**', '**/electron/preload/**'],
              message: 'Compile against electron/shared only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Core runs and is tested in plain Node: every OS service comes in through an interface.
    files: ['electron/core/**/*.{ts,mjs}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'core must not import electron; take an interface.' },
          ],
        },
      ],
    },
  },
)
