// One jest run for every workspace. swc compiles TypeScript (with legacy decorators
// for type-graphql) so tests run against sources without a build.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true, tsx: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false, react: { runtime: 'automatic' } },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  },
];
const WORKSPACES = {
  '^@latchkey/schema$': '<rootDir>/schema/src/index.ts',
  // Subpath entries (the console imports the approval rule alone, without the zod payloads).
  '^@latchkey/schema/(approval)$': '<rootDir>/schema/src/$1.ts',
  '^@latchkey/server$': '<rootDir>/server/src/index.ts',
  // Test-support entry (server/src/testing.ts): internals only tests may reach.
  '^@latchkey/server/testing$': '<rootDir>/server/src/testing.ts',
  '^@latchkey/sdk$': '<rootDir>/sdk/src/index.ts',
  '^@latchkey/jobs$': '<rootDir>/jobs/src/index.ts',
};
const project = (name, roots, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots,
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(t|j)sx?$': swc },
  rootDir: __dirname,
  modulePathIgnorePatterns: ['<rootDir>/client/.next'],
  // Slow fault, scale-out and soak tests (*.resilience.test.ts) run only under
  // `npm run test:resilience` (LATCHKEY_RESILIENCE=1); `npm test` runs the fast rest.
  testPathIgnorePatterns: process.env.LATCHKEY_RESILIENCE ? ['/node_modules/'] : ['/node_modules/', '\\.resilience\\.test\\.ts$'],
  ...extra,
  // Workspaces import each other by package name, resolved to sources (no build needed).
  moduleNameMapper: { ...WORKSPACES, ...extra.moduleNameMapper },
});

module.exports = {
  testTimeout: 30_000,
  // Test files run one at a time in a worker process that is replaced once it holds more than
  // 1 GB after a file. In band, every file's module registry (server, mongoose, apollo, …)
  // stayed reachable and the heap grew ~30 MB a file: a full run reached the 4 GB limit and
  // aborted, and well before that GC pauses made the last suites 8× slower (the fuzz run took
  // 120 s instead of 15 s, and a pooled connection closed under a request).
  workerIdleMemoryLimit: '1GB',
  projects: [
    project('schema', ['<rootDir>/schema/src']),
    project('server', ['<rootDir>/server/src']),
    project('jobs', ['<rootDir>/jobs/src']),
    project('sdk', ['<rootDir>/sdk/src']),
    // Console unit tests (pure helpers and components' logic); `@/` is the console's path alias.
    project('client', ['<rootDir>/client/components', '<rootDir>/client/lib'], {
      testMatch: ['**/*.test.ts', '**/*.test.tsx'],
      moduleNameMapper: { '^@/(.*)$': '<rootDir>/client/$1' },
    }),
    project('integration', ['<rootDir>/test/src'], { setupFiles: ['<rootDir>/test/src/harness/setup-env.ts'] }),
  ],
};
