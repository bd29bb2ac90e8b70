import { ErrorCode, IdPrefix, type Environment } from '@latchkey/schema';
import type { AuditMeta } from '../audit/audit-input';
import type { Principal } from '../access/principal';
import { actorOf } from '../access/principal';
import { AppError } from '../infra/app-error';
import { newId } from '../infra/ids';
import type { ApiKeyDoc } from './key.model';
import { keySnapshot, keyWebhookData, KeyEvents } from './key-events';
import { hashKey, materialFor, sealFor } from './key-issue';
import { newKeyDoc } from './key-store';
import { dropNulls } from './key-spec';
import { DEFAULT_KEY_PREFIX } from './key-format';
import { nowOf, type KeyDeps } from './key-deps';
import { importCallModel, importRefModel, type StoredImportResult } from './key-import.model';
import { ImportCalls } from './key-import-call';
import { mapLimit, prepareItem, type ImportItemError } from './key-import-item';
import { isOpen, markRepeats, matchStored, type Slot } from './key-import-match';
import { readKeys, refIdOf } from './key-import-store';
import { writeKeys, type Planned } from './key-import-write';
import { callScopedDeps } from './key-import-deps';

/** Keys per call; more is a BAD_USER_INPUT for the whole call. */
export const IMPORT_MAX_ITEMS = 1000;
/** Items validated concurrently (each validation reads the policy, owner, application …). */
const PREPARE_CONCURRENCY = 16;
/** Audit + publish + webhook of created keys in flight; the audit chain batches 100 per round trip. */
const EVENT_CONCURRENCY = 100;

export interface ImportItemResult {
  index: number;
  ok: boolean;
  /** The item was already a key (earlier call, earlier item, or the same value): nothing was written. */
  existing: boolean;
  externalId: string | null;
  key: ApiKeyDoc | null;
  /** Only for keys this call generated: the plaintext, in this answer only. */
  secret: string | null;
  error: ImportItemError | null;
}

export interface ImportOutcome {
  results: ImportItemResult[];
  /** A repeat of an idempotencyKey: the first call's results, without secrets. */
  replayed: boolean;
}

/**
 * `importApiKeys` (docs/KEY-IMPORT.md): up to 1,000 keys per call, generated or with
 * values from another system, each checked like createApiKey, idempotent per item and
 * per call, written with one unordered insert per collection, one `key.created` audit
 * event per key created. A bad item gets its own error and never stops the others.
 */
export class KeyImporter {
  private readonly events: KeyEvents;
  private readonly calls: ImportCalls;

  constructor(private readonly deps: KeyDeps) {
    // Registered now so boot's ensureIndexes() creates their indexes.
    for (const register of [importRefModel, importCallModel]) register(deps.conn);
    this.events = new KeyEvents(deps);
    this.calls = new ImportCalls(deps.conn);
  }

  async importKeys(principal: Principal, input: unknown, idempotencyKey: string | null | undefined, meta?: AuditMeta): Promise<ImportOutcome> {
    const items = itemsOf(input);
    const r = await this.calls.run(principal, idempotencyKey, this.fingerprintInput(input), async (callId) => {
      const results = await this.run(principal, items, callId, meta);
      return { value: results, results: results.map(stored) };
    });
    if (!r.replayed) return { results: r.value, replayed: false };
    const keys = await readKeys(this.deps.conn, r.results.flatMap((s) => (s.keyId ? [s.keyId] : [])));
    const results = r.results.map((s) => ({ ...s, error: s.error as ImportItemError | null, key: s.keyId ? (keys.get(s.keyId) ?? null) : null, secret: null }));
    return { results, replayed: true };
  }

  /**
   * What makes two calls "the same": plain JSON (dates as ISO strings, nulls dropped), with
   * each imported value replaced by its peppered HMAC, so the call record's input hash is
   * no unsalted digest of a secret (docs/KEY-IMPORT.md, "Security").
   */
  private fingerprintInput(input: unknown): unknown {
    const plain = JSON.parse(JSON.stringify(dropNulls(input))) as { keys: Record<string, unknown>[] };
    const pepper = (v: unknown) => (typeof v === 'string' ? `hmac:${hashKey(this.deps.config, v)}` : v);
    return { keys: plain.keys.map((k) => (k && typeof k === 'object' ? { ...k, secret: pepper(k.secret), customKey: pepper(k.customKey) } : k)) };
  }

  private async run(principal: Principal, items: unknown[], callId: string | null, meta: AuditMeta | undefined): Promise<ImportItemResult[]> {
    const { conn, config } = this.deps;
    const orgId = principal.orgId;
    const now = nowOf(this.deps);
    // One snapshot of the policy, owners, applications and roles for every item of the call.
    const callDeps = callScopedDeps(this.deps);
    const prepared = await mapLimit(items, PREPARE_CONCURRENCY, (item, i) => prepareItem(callDeps, principal, item, i, now));
    const slots: Slot[] = prepared.map((p) => {
      const base = { aliasOf: null, existing: null, attach: false };
      if (!p.ok) return { ...base, index: p.index, externalId: p.externalId, plan: null, hash: null, ref: null, error: p.error };
      const { plan } = p;
      const ref = plan.externalId !== null
        ? { id: refIdOf(orgId, 'external', plan.externalId), kind: 'external' as const }
        : callId !== null && plan.secret === null
          ? { id: refIdOf(orgId, 'call_item', `${callId}#${plan.index}`), kind: 'call_item' as const }
          : null;
      return { ...base, index: plan.index, externalId: plan.externalId, plan, hash: plan.secret !== null ? hashKey(config, plan.secret) : null, ref, error: null };
    });
    markRepeats(slots);
    await matchStored(conn, orgId, slots);

    const prefix = (await this.deps.orgs.byId(orgId))?.keyPrefix ?? DEFAULT_KEY_PREFIX;
    const planned: Planned[] = slots.filter(isOpen).map((s) => this.plan(s, principal, prefix, now));
    const attach = slots.filter((s) => s.attach && s.existing && s.ref);
    const written = await writeKeys(conn, orgId, planned, attach, now);
    await this.record(principal, written.created, meta);
    // The store failed part-way: the keys that landed are audited above; the call fails (a retry finds them by externalId/value).
    if (written.failure !== undefined) throw written.failure;
    const created = new Map(written.created.map((p) => [p.slot.index, p]));

    const results = slots.map((s): ImportItemResult => {
      const c = created.get(s.index);
      const base = { index: s.index, externalId: s.externalId };
      if (c) return { ...base, ok: true, existing: false, key: c.doc, secret: c.slot.plan?.secret === null ? c.plaintext : null, error: null };
      if (s.existing) return { ...base, ok: true, existing: true, key: s.existing, secret: null, error: null };
      return { ...base, ok: false, existing: false, key: null, secret: null, error: s.error ?? internalMiss() };
    });
    // A repeated item answers like the first one (the first is never itself a repeat).
    for (const s of slots) {
      if (s.aliasOf === null) continue;
      const first = results[s.aliasOf] as ImportItemResult;
      results[s.index] = first.ok
        ? { ...first, index: s.index, externalId: s.externalId ?? first.externalId, existing: true, secret: null }
        : { ...first, index: s.index, externalId: s.externalId, error: { ...(first.error as ImportItemError), message: `as item ${s.aliasOf}: ${first.error?.message ?? ''}` } };
    }
    return results;
  }

  /** The key document of one open slot (id, value, expiry, sealed copy); nothing is written yet. */
  private plan(s: Slot, principal: Principal, prefix: string, now: Date): Planned {
    const plan = s.plan as NonNullable<Slot['plan']>;
    const { spec, bytes } = plan.built;
    const id = newId(IdPrefix.key);
    const material = materialFor(this.deps.config, { prefix, environment: spec.environment as Environment, bytes, customKey: plan.secret });
    const expiresAt = spec.expiresAt ?? (spec.defaultLifetimeMs !== null ? new Date(now.getTime() + spec.defaultLifetimeMs) : null);
    const doc = newKeyDoc({ id, orgId: principal.orgId, spec, material, status: 'active', createdBy: principal.id, requestId: null, expiresAt, now });
    if (spec.recoverable) doc.sealed = sealFor(this.deps.config, id, material.plaintext);
    return { slot: s, doc, plaintext: material.plaintext };
  }

  /** One `key.created` event per key created: caches dropped everywhere, audit, subscribers, webhook. */
  private async record(principal: Principal, created: Planned[], meta: AuditMeta | undefined): Promise<void> {
    const failures: unknown[] = [];
    await mapLimit(created, EVENT_CONCURRENCY, async ({ slot, doc }) => {
      const imported = { imported: true, externalId: slot.externalId };
      await this.events
        .record({
          orgId: doc.orgId,
          actor: actorOf(principal),
          meta,
          action: 'key.created',
          target: { type: 'key', id: doc._id },
          after: { ...keySnapshot(doc), ...imported },
          // Drops a negative cache entry of an imported value someone tried a moment ago.
          keys: [doc],
          webhook: { type: 'key.created', data: keyWebhookData(doc, { createdBy: principal.id, ...imported }) },
          status: doc.status,
        })
        .catch((e: unknown) => failures.push(e));
    });
    // Like createApiKey: a key whose audit event could not be written fails the call (the keys stay; a retry finds them).
    if (failures.length > 0) throw failures[0];
  }
}

function itemsOf(input: unknown): unknown[] {
  const keys = (input as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw AppError.badInput('input.keys: must be a list of keys', [{ path: ['input', 'keys'], message: 'must be a list' }]);
  if (keys.length === 0) throw AppError.badInput('input.keys: give at least one key', [{ path: ['input', 'keys'], message: 'must not be empty' }]);
  if (keys.length > IMPORT_MAX_ITEMS) {
    const message = `at most ${IMPORT_MAX_ITEMS} keys per call (got ${keys.length}); split the import into several calls`;
    throw new AppError(ErrorCode.BAD_USER_INPUT, `input.keys: ${message}`, { fields: [{ path: ['input', 'keys'], message }], maxItems: IMPORT_MAX_ITEMS });
  }
  return keys;
}

function stored(r: ImportItemResult): StoredImportResult {
  return { index: r.index, ok: r.ok, existing: r.existing, keyId: r.key?._id ?? null, externalId: r.externalId, error: r.error };
}

/** A slot that is neither created, existing nor failed would be a bug here: say so rather than answer ok. */
function internalMiss(): ImportItemError {
  return { code: ErrorCode.INTERNAL_SERVER_ERROR, message: 'the item was not imported; retry it', field: null };
}
