import { CHAIN_VERSION, GENESIS_HASH, eventHash, isSecretField, payloadDigest, sanitizePayload, type ChainMaterial } from './audit-hash';

const material = (over: Partial<ChainMaterial> = {}): ChainMaterial => ({
  v: CHAIN_VERSION,
  orgId: 'org_1',
  seq: 1,
  prevHash: GENESIS_HASH,
  id: 'evt_1',
  time: new Date('2024-05-01T00:00:00.000Z'),
  actor: { type: 'user', id: 'usr_1' },
  action: 'key.created',
  target: { type: 'key', id: 'key_1' },
  meta: { requestId: 'req_1', ip: '203.0.113.7', userAgent: 'curl/8' },
  payloadDigest: payloadDigest(null, { name: 'a' }),
  ...over,
});

describe('audit hashing', () => {
  it('strips secret fields at every depth, including arrays', () => {
    const out = sanitizePayload({
      name: 'k',
      keyHash: 'h',
      hash: 'h',
      nested: { ciphertext: 'c', wrappedKey: 'w', keep: 1, Password: 'p' },
      list: [{ token: 't', tokenHash: 'th', id: 'x' }],
      webhookSecret: 's',
      passwordHash: 'ph',
    });
    expect(out).toEqual({ name: 'k', nested: { keep: 1 }, list: [{ id: 'x' }] });
  });

  it('recognizes secret names by suffix but leaves ordinary fields', () => {
    for (const n of ['secretHash', 'sessionToken', 'signingSecret', 'secret', 'TOKEN']) expect(isSecretField(n)).toBe(true);
    for (const n of ['name', 'hashAlgorithm', 'tokenType', 'scopes', 'prefix']) expect(isSecretField(n)).toBe(false);
  });

  it('makes payloads storable and stable: dates, undefined, odd keys, nested arrays', () => {
    const out = sanitizePayload({ at: new Date('2024-01-01T00:00:00Z'), gone: undefined, 'a.b': 1, $x: 2, grid: [[1, 2]], n: Number.NaN });
    expect(out).toEqual({ at: '2024-01-01T00:00:00.000Z', 'a\uFF0Eb': 1, '\uFF04x': 2, grid: [{ items: [1, 2] }], n: null });
    expect(sanitizePayload(null)).toBeNull();
    expect(sanitizePayload(undefined)).toBeNull();
  });

  it('digests before/after independent of key order', () => {
    expect(payloadDigest({ a: 1, b: 2 }, null)).toBe(payloadDigest({ b: 2, a: 1 }, null));
    expect(payloadDigest({ a: 1 }, null)).not.toBe(payloadDigest(null, { a: 1 }));
  });

  it('changes the hash when any covered field changes', () => {
    const base = eventHash(material());
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(eventHash(material())).toBe(base);
    const variants: Partial<ChainMaterial>[] = [
      { orgId: 'org_2' },
      { seq: 2 },
      { prevHash: 'f'.repeat(64) },
      { id: 'evt_2' },
      { time: new Date('2024-05-01T00:00:00.001Z') },
      { actor: { type: 'key', id: 'usr_1' } },
      { action: 'key.revoked' },
      { target: { type: 'key', id: 'key_2' } },
      { meta: { requestId: 'req_1', ip: '203.0.113.8', userAgent: 'curl/8' } },
      { payloadDigest: payloadDigest(null, { name: 'b' }) },
    ];
    for (const v of variants) expect(eventHash(material(v))).not.toBe(base);
  });

  it('ignores properties outside the chain material', () => {
    const withExtra = { ...material(), before: { x: 1 } } as ChainMaterial;
    expect(eventHash(withExtra)).toBe(eventHash(material()));
  });
});
