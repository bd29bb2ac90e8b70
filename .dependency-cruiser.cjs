// Layers of the monorepo, enforced in `npm run lint` (issue 18; docs/ARCHITECTURE.md):
// schema → server infra → domain folders (services, models, rules; access/ holds Principal
// and the authenticator contract) → hot path (verify/, ratelimit/) → operations (usage/,
// alerts/, leaks/, reports/, rotation/, expiry/, archival/, backup/, …) → transports (resolvers
// and REST routes beside their domain; the GraphQL and HTTP edge in graphql/ and http/) →
// composition root (composition/: app-services, resolver container, route table, boot,
// startServer) → entry points (main.ts, index.ts and its *.public.ts barrels, testing.ts,
// cli/). Imports point down only. Run: `npm run lint:layers` (part of `npm run lint`).
const path = require('node:path');

const SRC = '^server/src/';
/** GraphQL resolvers and REST routes, beside their domain. */
const TRANSPORT = [`${SRC}.+\\.(resolver|resolvers|route)\\.ts$`, `${SRC}verify/verify-fast-route\\.ts$`, `${SRC}keys/key-subscription\\.ts$`];
/** Schema build, graphql-ws, Express app assembly, error formatting, auth checker. */
const EDGE = [`${SRC}(graphql|http)/`];
const COMPOSITION = [`${SRC}composition/`];
const ENTRY = [`${SRC}(main|index|testing)\\.ts$`, `${SRC}.+\\.public\\.ts$`, `${SRC}cli/`];
const TEST = '\\.test\\.ts$';
const ABOVE_DOMAIN = [...TRANSPORT, ...EDGE, ...COMPOSITION, ...ENTRY];
/** The hot path: key verification and the limiter. */
const HOT_PATH = `${SRC}(verify|ratelimit)/`;
/** Operations: they consume the hot path's signals and answers, or run on schedules over the domain. */
const OPERATIONS = `${SRC}(usage|alerts|leaks|reports|rotation|expiry|archival|backup|jobs-admin|health|metrics)/`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles anywhere: every module can be read knowing only what it imports.',
      severity: 'error',
      from: { path: '^(server|jobs|client|sdk|schema)/' },
      to: { circular: true },
    },
    {
      name: 'domain-not-transport',
      comment: 'Services, models, rules and the hot path never import resolvers, routes, the GraphQL/HTTP edge, the composition root or an entry point.',
      severity: 'error',
      from: { path: SRC, pathNot: [...ABOVE_DOMAIN, TEST] },
      to: { path: ABOVE_DOMAIN },
    },
    {
      name: 'domain-below-hot-path',
      comment: 'The domain folders (keys, requests, access, orgs, users, …) import neither the hot path nor the operations above it.',
      severity: 'error',
      from: { path: SRC, pathNot: [HOT_PATH, OPERATIONS, `${SRC}infra/`, ...ABOVE_DOMAIN, TEST] },
      to: { path: [HOT_PATH, OPERATIONS] },
    },
    {
      name: 'hot-path-below-operations',
      comment: 'verify/ and ratelimit/ emit signals and answer; usage, alerts and the scheduled work read them, never the other way round.',
      severity: 'error',
      from: { path: HOT_PATH, pathNot: [...ABOVE_DOMAIN, TEST] },
      to: { path: OPERATIONS },
    },
    {
      name: 'transport-not-composition',
      comment: 'Resolvers, routes and the edge receive their services; they never reach into the composition root or an entry point.',
      severity: 'error',
      from: { path: [...TRANSPORT, ...EDGE], pathNot: TEST },
      to: { path: [...COMPOSITION, ...ENTRY] },
    },
    {
      name: 'infra-not-domain',
      comment: 'server/src/infra is the bottom layer of the server: it imports nothing else of server/src.',
      severity: 'error',
      from: { path: `${SRC}infra/`, pathNot: TEST },
      to: { path: SRC, pathNot: `${SRC}infra/` },
    },
    {
      name: 'client-sdk-not-server',
      comment: 'The console and the SDK speak the contract (schema/, GraphQL, HTTP), never server code.',
      severity: 'error',
      from: { path: '^(client|sdk)/' },
      to: { path: '^server/' },
    },
    {
      name: 'jobs-through-server-entry',
      comment: 'Workers use the server only through its public entry (@latchkey/server = server/src/index.ts).',
      severity: 'error',
      from: { path: '^jobs/' },
      to: { path: '^server/', pathNot: '^server/(src/index\\.ts|dist/index\\.(js|d\\.ts))$' },
    },
    {
      name: 'schema-imports-nothing-of-ours',
      comment: 'The contract package depends on no other workspace.',
      severity: 'error',
      from: { path: '^schema/' },
      to: { path: '^(server|jobs|client|sdk|test|examples|tools)/' },
    },
  ],
  options: {
    // Built output (server/dist behind `@latchkey/server`) is a leaf: seen, not cruised.
    doNotFollow: { path: '(^|/)(node_modules|dist)/' },
    exclude: { path: '(^|/)(\\.next|generated)/' },
    // Type-only imports count: a cycle through types is still a cycle for the reader.
    tsPreCompilationDeps: true,
    // The console's tsconfig: its `@/…` paths; the other workspaces use relative imports
    // and package names, which resolve the same under it. Absolute, because TypeScript
    // finds no inputs for a relative config path here.
    tsConfig: { fileName: path.join(__dirname, 'client', 'tsconfig.json') },
  },
};
