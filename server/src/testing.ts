import 'reflect-metadata'; // the resolver classes below are decorated (type-graphql)
/**
 * `@latchkey/server/testing`: internals the integration tests in test/ reach past the
 * product's surface — a store model to put keys into states no API produces on demand
 * (already expired, due for rotation), well-formed secrets no server issued, the hash
 * index's repair path, one resolver class, the emitted SDL, the webhook poster's SSRF
 * guard and the websocket cap. Not the public API: jobs and every other workspace import
 * `@latchkey/server` (index.ts) only, so nothing here becomes a contract by accident.
 */
export { apiKeyModel, type ApiKeyDoc } from './keys/key.model';
export { generateKey, type GeneratedKey } from './keys/key-format';
export { backfillKeyHashIndex, findKeyByHash, ORPHAN_TAKEOVER_MS } from './keys/key-hash-index';
export { backfillAuditIdCopies } from './audit/audit-id-copies';
export { AuditResolver } from './audit/audit.resolver';
export type { GraphQLContext } from './graphql/context';
export { emittedSdl } from './graphql/emit-schema';
export { postWebhook } from './webhooks/webhook-http';
export { MAX_SOCKETS_PER_PRINCIPAL } from './graphql/ws';
export { LuaScript } from './infra/lua-script';
