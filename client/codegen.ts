import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Console types come from the API's emitted schema, never from hand-written shapes or
 * server imports. `documentMode: 'string'` makes every `graphql()` call a typed query
 * string, so server fetches and graphql-ws subscriptions send it as-is without `print()`.
 */
const config: CodegenConfig = {
  schema: '../schema/schema.graphql',
  documents: ['app/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', '!gql/**'],
  ignoreNoDocuments: true,
  generates: {
    './gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' },
      },
    },
    // Every schema type (the client preset emits only those operations use): option
    // lists and helpers name enums and objects no operation selects directly.
    './gql/schema-types.ts': {
      plugins: ['typescript'],
      config: { enumsAsTypes: true, scalars: { DateTimeISO: 'string', JSONObject: 'Record<string, unknown>' } },
    },
  },
};

export default config;
