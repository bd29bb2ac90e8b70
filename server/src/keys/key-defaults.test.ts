import { ALL_KEY_SUBTYPES, KEY_SUBTYPES } from '@latchkey/schema';
import { SUBTYPE_DEFAULTS, lifetimeBounds } from './key-defaults';
import { escapeRegex } from './key-queries';

const now = new Date('2030-01-01T00:00:00Z');
const hours = (d: Date | null) => (d === null ? null : (d.getTime() - now.getTime()) / 3_600_000);

describe('subtype defaults', () => {
  it('cover every subtype with its own type', () => {
    for (const s of ALL_KEY_SUBTYPES) expect((KEY_SUBTYPES[SUBTYPE_DEFAULTS[s].type] as readonly string[]).includes(s)).toBe(true);
  });

  it('temporary keys: expiry required, 24 h by default, at most 7 days even under a longer policy', () => {
    const b = lifetimeBounds('temporary', { maxDays: 90, expiryRequired: false }, now);
    expect(b.required).toBe(true);
    expect(hours(b.defaultExpiry)).toBe(24);
    expect(hours(b.latest)).toBe(7 * 24);
  });

  it('emergency keys: at most 24 h, 4 h by default, alert on use', () => {
    const b = lifetimeBounds('emergency', { maxDays: 365, expiryRequired: true }, now);
    expect(hours(b.latest)).toBe(24);
    expect(hours(b.defaultExpiry)).toBe(4);
    expect(SUBTYPE_DEFAULTS.emergency.alertOnUse).toBe(true);
  });

  it('the stricter of policy and subtype wins; a required expiry defaults to the longest allowed', () => {
    expect(hours(lifetimeBounds('temporary', { maxDays: 2, expiryRequired: false }, now).defaultExpiry)).toBe(24);
    expect(hours(lifetimeBounds('temporary', { maxDays: 2, expiryRequired: false }, now).latest)).toBe(48);
    expect(hours(lifetimeBounds('personal', { maxDays: 90, expiryRequired: true }, now).defaultExpiry)).toBe(90 * 24);
    const open = lifetimeBounds('service', { maxDays: null, expiryRequired: false }, now);
    expect(open).toEqual({ latest: null, required: false, defaultExpiry: null });
    const unlimitedButRequired = lifetimeBounds('service', { maxDays: null, expiryRequired: true }, now);
    expect(unlimitedButRequired).toEqual({ latest: null, required: true, defaultExpiry: null });
  });

  it('admin keys always need an approval; read-only subtypes grant reads only', () => {
    expect(SUBTYPE_DEFAULTS.admin.minApprovals).toBeGreaterThanOrEqual(1);
    expect(SUBTYPE_DEFAULTS.read_only).toMatchObject({ readScopesOnly: true, defaultLevel: 'read_only' });
    expect(SUBTYPE_DEFAULTS.development.environments).toEqual(['development']);
  });
});

describe('search text', () => {
  it('matches regex metacharacters literally', () => {
    for (const s of ['a.b', '.*', '(x', '[', 'a+b?', '^$', '\\d']) expect(new RegExp(`^${escapeRegex(s)}$`).test(s)).toBe(true);
    expect(new RegExp(escapeRegex('a.b')).test('axb')).toBe(false);
  });
});
