// Seeds API keys straight into the store for benchmarks (creating a million keys
// through GraphQL would benchmark the audit trail, not verification). The documents
// have exactly the shape KeyService writes, hash index entries included.
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { generateKey } = require('../../server/dist/keys/key-format.js');
const { hmacHex } = require('../../server/dist/infra/crypto.js');

const ID = '0123456789abcdefghijklmnopqrstuvwxyz';
let seq = 0;
function keyId() {
  let s = (Date.now().toString(36) + (seq++).toString(36).padStart(8, '0'));
  for (let i = 0; i < 4; i++) s += ID[(Math.random() * 36) | 0];
  return `key_${s}`;
}

export const BENCH_LIMITS = {
  perSecond: 1_000_000,
  perMinute: 10_000_000,
  perHour: 100_000_000,
  perDay: 1_000_000_000,
  burst: { maxBurst: 1_000_000, burstWindowSeconds: 1 },
};

/** Inserts `count` active keys; returns the plaintexts of the first `keep` of them. */
export async function seedKeys(db, { orgId, applicationId, createdBy, pepper, count, keep, limits = BENCH_LIMITS, batch = 5_000 }) {
  const kept = [];
  const now = new Date();
  for (let done = 0; done < count; ) {
    const n = Math.min(batch, count - done);
    const docs = new Array(n);
    for (let i = 0; i < n; i++) {
      const g = generateKey({ environment: 'production' });
      if (kept.length < keep) kept.push(g.key);
      docs[i] = {
        _id: keyId(), orgId, name: `bench-${done + i}`, description: '', type: 'application', subtype: 'service',
        environment: 'production', status: 'active', applicationId, ownerId: null, createdBy, requestId: null,
        hash: hmacHex(pepper, g.key), pepperVersion: 1, start: g.start, last4: g.last4, custom: false, recoverable: false,
        sealed: null, claimSealed: null, claimExpiresAt: null, permissionLevel: 'custom', scopes: ['applications:read'], roleIds: [],
        restrictions: { ipAllowList: [], referrers: [], countries: [], environmentBinding: false, mode: { ip: 'enforce', referrer: 'enforce', country: 'enforce' } },
        limits, rotationPolicy: null, nextRotationAt: null, tags: ['bench'], metadata: [], expiresAt: null, graceEndsAt: null,
        rotatedFromId: null, rotatedToId: null, statusReason: null, revokedAt: null, lastUsedAt: null, version: 0, createdAt: now, updatedAt: now,
      };
    }
    // The verify path's hash index first, as KeyService writes it (keys/key-hash-index.ts).
    await db.collection('api_key_hashes').insertMany(docs.map((d) => ({ _id: d.hash, keyId: d._id, orgId, createdAt: now })), { ordered: false });
    await db.collection('api_keys').insertMany(docs, { ordered: false });
    done += n;
  }
  return kept;
}
