import { randomBytes } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import type { Environment, KeyStatus, KeySubtype, KeyType } from '@latchkey/schema';
import { apiKeyModel, type ApiKeyDoc } from '../../../server/src/keys/key.model';
import { keyHashModel } from '../../../server/src/keys/key-hash-index';
import { generateKey } from '../../../server/src/keys/key-format';
import { hmacHex } from '../../../server/src/infra/crypto';
import { auditEventModel, type AuditEventDoc } from '../../../server/src/audit/audit.model';
import { GENESIS_HASH, eventHash, payloadDigest } from '../../../server/src/audit/audit-hash';
import { chainMaterial, toRecord } from '../../../server/src/audit/audit-record';

/**
 * Bulk seeding for the scale test and `npm run bench:manage`: documents are *clones of
 * documents the API itself wrote* (a key made by createApiKey, a user by createUser, …),
 * with what must differ changed, so they have exactly the shape the services write —
 * through the server's own models (mongoose validates each key; hash index entries and
 * the audit hash chain are computed as the services compute them). Creating 100k keys
 * through createApiKey would benchmark the seeding, not the management paths.
 *
 * `seedKeys` is the one place keys are seeded: when `importApiKeys` exists it can send
 * the same specs through it instead (issue 16, item 5).
 */

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** An id in the format of infra/ids.ts `newId`, but minted at `at` (ids sort by creation time). */
export function idAt(prefix: string, at: Date): string {
  const bytes = randomBytes(12);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 36];
  return `${prefix}_${at.getTime().toString(36).padStart(9, '0')}${rand}`;
}

/** What differs between seeded keys: the fields the console filters and sorts on. */
export interface KeyVariant {
  name: string;
  type: KeyType;
  subtype: KeySubtype;
  environment: Environment;
  status: KeyStatus;
  applicationId: string | null;
  ownerId: string | null;
  tags: string[];
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
}

const KINDS: readonly (readonly [KeyType, KeySubtype])[] = [
  ['application', 'service'],
  ['application', 'web'],
  ['application', 'microservice'],
  ['user', 'personal'],
  ['user', 'automation'],
  ['system', 'monitoring'],
];
const ENVS: readonly Environment[] = ['production', 'production', 'staging', 'development'];
// Mostly active, as in a real organization; every status the console filters on occurs.
const STATUSES: readonly KeyStatus[] = ['active', 'active', 'active', 'active', 'active', 'suspended', 'revoked', 'expired'];
const WORDS = ['billing', 'search', 'checkout', 'ingest', 'reports', 'mobile', 'partner', 'backup', 'metrics', 'gateway'];

/** The i-th of a deterministic, varied population (owners and applications given). */
export function keyVariant(i: number, opts: { applicationIds: readonly string[]; ownerIds: readonly string[]; now?: number }): KeyVariant {
  const now = opts.now ?? Date.now();
  const [type, subtype] = KINDS[i % KINDS.length] as (typeof KINDS)[number];
  const createdAt = new Date(now - (i + 1) * 37_000);
  const status = STATUSES[(i * 7) % STATUSES.length] as KeyStatus;
  return {
    name: `${WORDS[i % WORDS.length]}-${subtype}-${i}`,
    type,
    subtype,
    environment: ENVS[i % ENVS.length] as Environment,
    status,
    applicationId: type === 'application' ? (opts.applicationIds[i % opts.applicationIds.length] ?? null) : null,
    ownerId: type === 'user' ? (opts.ownerIds[i % opts.ownerIds.length] ?? null) : null,
    tags: [`team-${i % 5}`, ...(i % 3 === 0 ? ['pci'] : [])],
    createdAt,
    // An expired key expired; a quarter of the others expire within 90 days.
    expiresAt: status === 'expired' ? createdAt : i % 4 === 0 ? new Date(now + ((i % 90) + 1) * 86_400_000) : null,
    lastUsedAt: i % 2 === 0 ? new Date(now - (i % 1000) * 60_000) : null,
  };
}

/** Inserts keys shaped like `template` (a key the API created) with the given variants. */
export async function seedKeys(conn: Connection, opts: { template: ApiKeyDoc; pepper: string; variants: Iterable<KeyVariant>; batch?: number }): Promise<string[]> {
  const { template, pepper } = opts;
  const prefix = template.start.split('_')[0] ?? 'lk';
  const keys = apiKeyModel(conn);
  const hashes = keyHashModel(conn);
  const ids: string[] = [];
  let docs: ApiKeyDoc[] = [];
  const flush = async () => {
    if (docs.length === 0) return;
    // The hash index first, as KeyService writes it (keys/key-hash-index.ts).
    await hashes.insertMany(docs.map((d) => ({ _id: d.hash, keyId: d._id, orgId: d.orgId, createdAt: d.createdAt })), { ordered: false });
    await keys.insertMany(docs, { ordered: false });
    docs = [];
  };
  for (const v of opts.variants) {
    const g = generateKey({ prefix, environment: v.environment });
    const revoked = v.status === 'revoked';
    const doc: ApiKeyDoc = {
      ...template,
      ...v,
      _id: idAt('key', v.createdAt),
      description: `seeded ${v.name}`,
      requestId: null,
      // A browser key names its origins (keys/key-defaults.ts, referrersRequired).
      restrictions: v.subtype === 'web' ? { ...template.restrictions, referrers: ['https://*.example.com'] } : template.restrictions,
      hash: hmacHex(pepper, g.key),
      start: g.start,
      last4: g.last4,
      sealed: null,
      claimSealed: null,
      claimExpiresAt: null,
      rotatedFromId: null,
      rotatedToId: null,
      graceEndsAt: null,
      statusReason: v.status === 'active' ? null : `seeded ${v.status}`,
      revokedAt: revoked ? v.createdAt : null,
      version: 0,
      updatedAt: v.createdAt,
    };
    docs.push(doc);
    ids.push(doc._id);
    if (docs.length >= (opts.batch ?? 2_000)) await flush();
  }
  await flush();
  return ids;
}

/**
 * Appends `count` events to the organization's hash chain after its current head, each a
 * clone of `template` (an event the API wrote) about one of `targets`. The chain verifies:
 * seq, prevHash, payloadDigest and hash are computed as the appender computes them. The
 * API's cached chain head goes stale; its next append loses the compare-and-set once,
 * re-reads the head and carries on (audit/audit-appender.ts).
 */
export async function seedAuditEvents(
  conn: Connection,
  opts: { template: AuditEventDoc; count: number; targets: readonly string[]; actions?: readonly string[]; batch?: number; now?: number },
): Promise<void> {
  const model = auditEventModel(conn);
  const { template } = opts;
  const head = await model.findOne({ orgId: template.orgId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean<Pick<AuditEventDoc, 'seq' | 'hash'>>();
  let prev = head ? { seq: head.seq, hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
  const actions = opts.actions ?? ['key.updated', 'key.created', 'key.rotated', 'key.revoked', 'key.suspended'];
  const start = (opts.now ?? Date.now()) - opts.count * 1_000;
  const batch = opts.batch ?? 2_000;
  for (let done = 0; done < opts.count; ) {
    const n = Math.min(batch, opts.count - done);
    const docs: AuditEventDoc[] = new Array(n);
    for (let j = 0; j < n; j++) {
      const i = done + j;
      const time = new Date(start + i * 1_000);
      const after = { name: `seeded-${i}`, version: i % 10 };
      const doc: AuditEventDoc = {
        ...template,
        _id: idAt('evt', time),
        seq: prev.seq + 1,
        time,
        action: actions[i % actions.length] as string,
        target: { type: template.target.type, id: opts.targets[i % opts.targets.length] ?? template.target.id },
        requestId: null,
        before: null,
        after,
        payloadDigest: payloadDigest(null, after),
        prevHash: prev.hash,
        hash: '',
      };
      // The indexed copies of the ids, as AuditService.append writes them (the template's are another event's).
      doc.actorId = doc.actor.id;
      doc.targetId = doc.target.id;
      doc.hash = eventHash(chainMaterial(toRecord(doc)));
      prev = { seq: doc.seq, hash: doc.hash };
      docs[j] = doc;
    }
    // Ordered, like the appender: a failure leaves a prefix, never a gap in the chain.
    // lean: the docs are complete already; mongoose validating a million of them costs minutes.
    await model.insertMany(docs, { ordered: true, lean: true });
    done += n;
  }
}

/**
 * `count` clones of a document the API wrote (a user, a session, a key request, an
 * alert), each with a fresh `_id` and whatever `vary` changes (unique fields at least),
 * through the model, so mongoose validates each one.
 */
export async function seedClones<T extends { _id: string }>(
  model: Model<T>,
  template: T,
  count: number,
  idPrefix: string,
  vary: (i: number, at: Date) => Partial<T>,
  batch = 1_000,
): Promise<string[]> {
  const ids: string[] = [];
  const now = Date.now();
  for (let done = 0; done < count; ) {
    const n = Math.min(batch, count - done);
    const docs = Array.from({ length: n }, (_, j) => {
      const at = new Date(now - (done + j + 1) * 61_000);
      const doc = { ...template, ...vary(done + j, at), _id: idAt(idPrefix, at) } as T;
      ids.push(doc._id);
      return doc;
    });
    await model.insertMany(docs, { ordered: false });
    done += n;
  }
  return ids;
}

/** A random 64-hex value, for unique hashes (session tokens) no one will present. */
export function randomHex(): string {
  return randomBytes(32).toString('hex');
}
