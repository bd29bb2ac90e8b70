/**
 * Canonical JSON for hashing: object keys sorted (UTF-16 code-unit order, as
 * `Array.prototype.sort` does), no whitespace, numbers and strings exactly as
 * `JSON.stringify` writes them. This matches RFC 8785 (JCS) for the values we hash,
 * so an auditor can re-derive every hash with any JCS implementation.
 *
 * Stricter than JSON.stringify where silence would make two different inputs hash
 * alike: non-finite numbers and bigints throw instead of becoming `null`/crashing.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

function write(value: unknown, seen: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonicalJson: non-finite number ${String(value)}`);
      return JSON.stringify(value);
    case 'bigint':
      throw new TypeError('canonicalJson: bigint is not representable in JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      // Only reached at the top level or inside arrays (object members are skipped).
      return 'null';
    case 'object':
      break;
  }
  const obj = value as object;
  // Dates (and anything else with toJSON) hash as what they serialize to.
  if (typeof (obj as { toJSON?: unknown }).toJSON === 'function') {
    return write((obj as { toJSON: () => unknown }).toJSON(), seen);
  }
  if (seen.has(obj)) throw new TypeError('canonicalJson: circular structure');
  seen.add(obj);
  let out: string;
  if (Array.isArray(obj)) {
    out = `[${obj.map((v) => write(v, seen)).join(',')}]`;
  } else {
    const rec = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const k of Object.keys(rec).sort()) {
      const v = rec[k];
      if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
      parts.push(`${JSON.stringify(k)}:${write(v, seen)}`);
    }
    out = `{${parts.join(',')}}`;
  }
  seen.delete(obj);
  return out;
}
