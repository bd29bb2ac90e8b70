import { z } from 'zod';
import { RestrictionMode } from '@latchkey/schema';
import { AppError, type FieldProblem } from '../infra/app-error';
import { formatCidr, parseCidr } from '../infra/ip';
import { parseReferrerPattern } from './referrer-pattern';

/**
 * A key's configuration: restrictions, rate limits, rotation policy, tags, metadata.
 * Field names follow the GraphQL key inputs (`rateLimit`, `rotationPolicy`) so every
 * problem's path points at the field the caller actually sent. Objects are strict: a
 * misspelt limit (`perSecnd`) would otherwise be dropped and the key left unlimited.
 *
 * Upper bounds refuse values that are not limits at all (a typo'd 1e12/s); leave a
 * limit unset for "no limit". Consistency between windows (perSecond × 60 vs perMinute)
 * is deliberately not required: each window is enforced on its own.
 */

const fmt = (n: number) => n.toLocaleString('en-US');
const PER_SECOND_MAX = 1_000_000;

/** A whole number in [min, max] with messages that say what the number means. */
function whole(min: number, max: number, unit: string) {
  return z
    .int({ error: (i) => (i.input === undefined ? 'is required' : 'must be a whole number') })
    .min(min, min === 0 ? 'must not be negative' : `must be at least ${fmt(min)}`)
    .max(max, `must be at most ${fmt(max)} ${unit}; leave it unset for no limit`);
}

function positive(max: number, unit: string) {
  return z
    .number({ error: (i) => (i.input === undefined ? 'is required' : 'must be a finite number') })
    .positive('must be greater than 0')
    .max(max, `must be at most ${fmt(max)} ${unit}; leave it unset for no limit`);
}

// ISO 3166-1 alpha-2 (249 codes) plus XK (Kosovo), which GeoIP databases report.
const COUNTRIES = new Set(
  ('AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
    'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
    'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
    'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
    'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW').split(' '),
);

export function isCountryCode(code: string): boolean {
  return COUNTRIES.has(code);
}

const ipEntry = z
  .string()
  .trim()
  .max(64, 'is too long for an IP address or CIDR range')
  .superRefine((s, ctx) => {
    const c = parseCidr(s);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not an IPv4/IPv6 address or CIDR range (e.g. 203.0.113.0/24, 2001:db8::/32)` });
    } else if (c.hostBitsSet) {
      ctx.addIssue({ code: 'custom', message: `"${s}" has bits set outside its prefix; did you mean ${formatCidr(c)}?` });
    }
  });

const referrerEntry = z
  .string()
  .trim()
  .max(300, 'must be at most 300 characters')
  .refine((s) => parseReferrerPattern(s) !== null, {
    error: (i) =>
      `"${String(i.input)}" is not a referrer pattern; use forms like https://app.example.com, *.example.com or app.example.com/path*`,
  });

const countryEntry = z
  .string()
  .trim()
  .toUpperCase()
  .refine(isCountryCode, { error: (i) => `"${String(i.input)}" is not an ISO 3166-1 alpha-2 country code (e.g. DE, US)` });

const mode = z.enum([RestrictionMode.enforce, RestrictionMode.report_only], {
  error: `must be "${RestrictionMode.enforce}" or "${RestrictionMode.report_only}"`,
});

export const restrictionsSchema = z
  .strictObject({
    ipAllowList: z.array(ipEntry).max(100, 'at most 100 IP addresses or ranges').default([]),
    referrers: z.array(referrerEntry).max(50, 'at most 50 referrer patterns').default([]),
    countries: z.array(countryEntry).max(250, 'at most 250 countries').default([]),
    environmentBinding: z.boolean().default(false),
    mode: z
      .strictObject({ ip: mode.default('enforce'), referrer: mode.default('enforce'), country: mode.default('enforce') })
      .prefault({}),
  })
  .prefault({});

export const rateLimitsSchema = z
  .strictObject({
    perSecond: whole(1, PER_SECOND_MAX, 'requests per second').optional(),
    perMinute: whole(1, PER_SECOND_MAX * 60, 'requests per minute').optional(),
    perHour: whole(1, PER_SECOND_MAX * 3600, 'requests per hour').optional(),
    perDay: whole(1, PER_SECOND_MAX * 86_400, 'requests per day').optional(),
    burst: z
      .strictObject({ maxBurst: whole(1, PER_SECOND_MAX, 'requests'), burstWindowSeconds: whole(1, 86_400, 'seconds') })
      .optional(),
    concurrency: whole(1, 100_000, 'concurrent requests').optional(),
    maxPayloadBytes: whole(1, 10 * 1024 ** 3, 'bytes (10 GiB)').optional(),
    bandwidth: z
      .strictObject({
        uploadMbps: positive(1_000_000, 'Mbps').optional(),
        downloadMbps: positive(1_000_000, 'Mbps').optional(),
        totalGbPerDay: positive(1_000_000, 'GB per day').optional(),
      })
      .refine((b) => Object.values(b).some((v) => v !== undefined), 'set at least one bandwidth limit or leave bandwidth out')
      .optional(),
    credits: z
      .strictObject({
        amount: whole(0, 1e12, 'credits'),
        refill: z.strictObject({ amount: whole(1, 1e12, 'credits'), everySeconds: whole(1, 31_536_000, 'seconds (a year)') }).optional(),
      })
      .refine((c) => c.amount > 0 || c.refill !== undefined, {
        error: 'a balance of 0 credits that never refills would block every request',
        path: ['amount'],
      })
      .optional(),
    /** Metered resource dimensions (CPU ms, DB queries, …) with a cost per call. */
    dimensions: z
      .array(
        z.strictObject({
          name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be 1–40 of a-z, 0-9 and "_", starting with a letter'),
          limit: whole(1, 1e12, 'units'),
          window: z.enum(['second', 'minute', 'hour', 'day', 'month'], { error: 'must be second, minute, hour, day or month' }),
        }),
      )
      .max(20, 'at most 20 metered dimensions')
      .superRefine((dims, ctx) => {
        const seen = new Set<string>();
        dims.forEach((d, i) => {
          const id = `${d.name}/${d.window}`;
          if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${d.name}" per ${d.window} is listed twice` });
          seen.add(id);
        });
      })
      .optional(),
  })
  .prefault({});

export const rotationPolicySchema = z
  .strictObject({
    everyDays: whole(1, 3650, 'days (10 years)'),
    gracePeriodSeconds: whole(0, 30 * 86_400, 'seconds (30 days)'),
  })
  .refine((r) => r.gracePeriodSeconds < r.everyDays * 86_400, {
    // Otherwise a key would still be valid when its successor is itself rotated.
    error: 'the grace period must be shorter than the rotation interval',
    path: ['gracePeriodSeconds'],
  });

export const tagsSchema = z
  .array(
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(40, 'must be at most 40 characters')
      .regex(/^[a-z0-9_:.-]+$/, 'may only contain lowercase letters, digits, "-", "_", ":" and "."'),
  )
  .max(20, 'at most 20 tags')
  .transform((tags) => [...new Set(tags)])
  .default([]);

// \0 breaks MongoDB strings; other control characters only hide what a name says.
const CONTROL = /[\u0000-\u001f\u007f]/;

export const metadataSchema = z
  .array(
    z.strictObject({
      name: z
        .string({ error: 'is required' })
        .min(1, 'must not be empty')
        .max(64, 'must be at most 64 characters')
        .refine((s) => !CONTROL.test(s), 'must not contain control characters'),
      value: z
        .string({ error: 'must be a string' })
        .max(1024, 'must be at most 1,024 characters')
        .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters'),
    }),
  )
  .max(50, 'at most 50 metadata entries')
  .superRefine((entries, ctx) => {
    const seen = new Set<string>();
    entries.forEach((e, i) => {
      if (seen.has(e.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `"${e.name}" is listed twice` });
      seen.add(e.name);
    });
  })
  .default([]);

export const keyConfigSchema = z
  .strictObject({
    restrictions: restrictionsSchema,
    rateLimit: rateLimitsSchema,
    rotationPolicy: rotationPolicySchema.optional(),
    tags: tagsSchema,
    metadata: metadataSchema,
  })
  .prefault({});

export type KeyConfig = z.output<typeof keyConfigSchema>;
export type Restrictions = z.output<typeof restrictionsSchema>;
export type RotationPolicy = z.output<typeof rotationPolicySchema>;

/** Every zod issue as a field problem; unknown keys become one problem per key. */
export function zodIssuesToFields(issues: readonly z.core.$ZodIssue[], basePath: (string | number)[] = []): FieldProblem[] {
  const toPath = (p: readonly PropertyKey[]) => [...basePath, ...p.map((k) => (typeof k === 'number' ? k : String(k)))];
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((k) => ({ path: toPath([...issue.path, k]), message: `unknown field "${k}"` }))
      : [{ path: toPath(issue.path), message: issue.message }],
  );
}

/**
 * Parses a key configuration, filling defaults (empty lists, `enforce` modes). Throws
 * `AppError.badInput` listing every problem, each with the path of its field (prefixed
 * by `basePath`, e.g. `['input']`).
 */
export function validateKeyConfig(input: unknown, basePath: (string | number)[] = []): KeyConfig {
  const r = keyConfigSchema.safeParse(input);
  if (r.success) return r.data;
  const fields = zodIssuesToFields(r.error.issues, basePath);
  const first = fields[0];
  const where = first && first.path.length ? `${first.path.join('.')}: ` : '';
  const more = fields.length > 1 ? ` (and ${fields.length - 1} more problem${fields.length > 2 ? 's' : ''})` : '';
  throw AppError.badInput(`invalid key configuration: ${where}${first?.message ?? 'invalid'}${more}`, fields);
}
