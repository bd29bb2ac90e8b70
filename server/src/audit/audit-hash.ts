import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/** Bumped if the hashed material ever changes; stored on every event as `v`. */
export const CHAIN_VERSION = 1;
/** `prevHash` of an organization's first event. */
export const GENESIS_HASH = '0'.repeat(64);

// Field names whose values are secrets or secret-derived. Matched case-insensitively,
// exactly or as a suffix (`secretHash`, `webhookSecret`, `sessionToken`), so a new
// field named the usual way is stripped without anyone remembering this list.
const SECRET_NAMES = ['hash', 'keyhash', 'ciphertext', 'wrappedkey', 'password', 'passwordhash', 'token', 'secret', 'tokenhash'];
const SECRET_SUFFIX = /(hash|ciphertext|wrappedkey|password|secret|token)$/i;

export function isSecretField(name: string): boolean {
  return SECRET_NAMES.includes(name.toLowerCase()) || SECRET_SUFFIX.test(name);
}

/**
 * Makes a before/after snapshot safe to store and stable to hash: secrets removed at
 * every depth, JSON semantics applied (dates → ISO strings, undefined dropped,
 * NaN → null), and shapes FerretDB/MongoDB refuse rewritten (keys with `.` or a
 * leading `$`, arrays directly inside arrays, NUL characters). What is stored is then
 * exactly what was digested, so the digest re-verifies after a database round trip.
 */
export function sanitizePayload(value: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (value === null || value === undefined) return null;
  const plain = JSON.parse(JSON.stringify(value) ?? 'null') as unknown;
  const clean = scrub(plain, false);
  return clean !== null && typeof clean === 'object' && !Array.isArray(clean) ? (clean as Record<string, unknown>) : null;
}

function scrub(v: unknown, insideArray: boolean): unknown {
  if (typeof v === 'string') return v.includes('\0') ? v.replaceAll('\0', '\uFFFD') : v;
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    const items = v.map((x) => scrub(x, true));
    // FerretDB v1 rejects nested arrays; keep the data, wrapped in an object.
    return insideArray ? { items } : items;
  }
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (isSecretField(k)) continue;
    out[safeKey(k)] = scrub(x, false);
  }
  return out;
}

// Full-width look-alikes, the substitution MongoDB's own docs suggest for such keys.
function safeKey(k: string): string {
  let key = k.replaceAll('.', '\uFF0E').replaceAll('\0', '\uFFFD');
  if (key.startsWith('$')) key = `\uFF04${key.slice(1)}`;
  return key;
}

export function sha256Hex(s: string): string {
  return createHash('sha256').update(s, 'utf8').digest('hex');
}

/**
 * Commits to the payload separately from the chain hash, so erasing personal data
 * later can blank `before`/`after` while the chain (which covers only this digest)
 * still verifies.
 */
export function payloadDigest(before: Record<string, unknown> | null, after: Record<string, unknown> | null): string {
  return sha256Hex(canonicalJson({ before, after }));
}

/** Exactly the fields an event's `hash` covers. */
export interface ChainMaterial {
  v: number;
  orgId: string;
  seq: number;
  prevHash: string;
  id: string;
  time: Date;
  actor: { type: string; id: string };
  action: string;
  target: { type: string; id: string };
  meta: { requestId: string | null; ip: string | null; userAgent: string | null };
  payloadDigest: string;
}

export function eventHash(m: ChainMaterial): string {
  // Listed field by field so a stray property on the input can never enter the hash.
  return sha256Hex(
    canonicalJson({
      v: m.v,
      orgId: m.orgId,
      seq: m.seq,
      prevHash: m.prevHash,
      id: m.id,
      time: m.time.toISOString(),
      actor: { type: m.actor.type, id: m.actor.id },
      action: m.action,
      target: { type: m.target.type, id: m.target.id },
      meta: { requestId: m.meta.requestId, ip: m.meta.ip, userAgent: m.meta.userAgent },
      payloadDigest: m.payloadDigest,
    }),
  );
}
