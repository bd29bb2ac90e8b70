import { z } from 'zod';
import { AppError, type FieldProblem } from '../infra/app-error';

/**
 * Input validation shared by the access domain: zod schemas turned into
 * BAD_USER_INPUT with one `{ path, message }` per problem. Values that are not of the
 * expected type (an object where a string belongs, e.g. `{"$ne": null}`) fail here and
 * never reach a query.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, basePath: (string | number)[] = []): z.infer<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw AppError.badInput(
    r.error.issues.length === 1 ? (r.error.issues[0]?.message ?? 'invalid input') : 'invalid input',
    zodProblems(r.error, basePath),
  );
}

export function zodProblems(error: z.ZodError, basePath: (string | number)[] = []): FieldProblem[] {
  return error.issues.map((i) => ({
    path: [...basePath, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: i.message,
  }));
}

/** A trimmed string of bounded length with a readable message. */
export function text(min: number, max: number) {
  return z
    .string({ error: 'must be a string' })
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !s.includes('\0'), 'must not contain NUL characters');
}

export const emailSchema = z
  .string({ error: 'must be a string' })
  .trim()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email({ error: 'must be an email address' }))
  .transform((s) => s.toLowerCase());

/** A prefixed id as `newId()` makes them; anything else cannot exist. */
export function idSchema(prefix: string) {
  return z.string({ error: 'must be a string' }).max(80, 'must be at most 80 characters').regex(new RegExp(`^${prefix}_[a-z0-9]{1,64}$`), `must be an id starting with ${prefix}_`);
}

export const scopeListSchema = z
  .array(z.string({ error: 'must be a string' }).max(200, 'must be at most 200 characters'), { error: 'must be a list' })
  .max(200, 'at most 200 scopes');

/**
 * GraphQL passes `null` for optional input fields a client spells out as null; for
 * create/update inputs that means "not given". (The policy input keeps its nulls:
 * there null means "no limit".)
 */
export function withoutNulls(input: unknown): unknown {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== null && v !== undefined));
}
