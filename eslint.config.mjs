// Flat config shared by every workspace; `turbo run lint` runs it per package.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // client/gql is graphql-codegen's output (not checked in).
  { ignores: ['**/dist/**', '**/.next/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'client/gql/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'warn',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-non-null-assertion': 'error',
      'no-restricted-syntax': ['error', { selector: "ExportDefaultDeclaration", message: 'Named exports only (CONVENTIONS 10).' }],
    },
  },
  {
    // Issue #18: no line over 180 characters and no file over 300 lines, in every workspace.
    // sdk/src/generated is graphql-codegen's output.
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['sdk/src/generated/**'],
    rules: {
      'max-len': ['error', { code: 180, ignoreUrls: true }],
      'max-lines': ['error', { max: 300, skipBlankLines: false, skipComments: false }],
    },
  },
  {
    // Frameworks that load a default export: Next.js files and graphql-codegen's config.
    files: ['client/app/**/{page,layout,route,loading,error,not-found}.tsx', 'client/next.config.ts', 'client/app/**/route.ts', 'client/codegen.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
