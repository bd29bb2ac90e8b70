import { WEBHOOK_EVENTS } from '@latchkey/schema';
import { AppError, type FieldProblem } from '../infra/app-error';
import { checkWebhookUrl, WebhookUrlRefused, type Resolver } from './webhook-url';

export const MAX_DESCRIPTION_LENGTH = 500;
export const MAX_ENDPOINTS_PER_ORG = 50;
/** Rotation overlap bounds: long enough for a deploy, short enough that a leaked secret dies. */
export const DEFAULT_ROTATION_OVERLAP_SECONDS = 24 * 3600;
export const MAX_ROTATION_OVERLAP_SECONDS = 7 * 24 * 3600;

export interface EndpointFields {
  url?: string | null;
  description?: string | null;
  events?: string[] | null;
}

export interface CleanEndpointFields {
  url?: string;
  description?: string;
  events?: string[];
}

const KNOWN_EVENTS: ReadonlySet<string> = new Set(WEBHOOK_EVENTS);

/**
 * Checks every field and reports all problems at once, each with its path, so a form
 * can mark each field. `required` names fields a create must carry.
 */
export async function validateEndpointFields(
  input: EndpointFields,
  opts: { required: boolean; allowLoopback: boolean; resolve?: Resolver },
): Promise<CleanEndpointFields> {
  const problems: FieldProblem[] = [];
  const out: CleanEndpointFields = {};
  if (input.url !== undefined && input.url !== null) {
    try {
      out.url = await checkWebhookUrl(input.url, { allowLoopback: opts.allowLoopback, resolve: opts.resolve });
    } catch (e) {
      if (!(e instanceof WebhookUrlRefused)) throw e;
      problems.push({ path: ['input', 'url'], message: e.message });
    }
  } else if (opts.required) {
    problems.push({ path: ['input', 'url'], message: 'a URL is required' });
  }
  if (input.description !== undefined && input.description !== null) {
    const d = input.description.trim();
    if (d.length > MAX_DESCRIPTION_LENGTH) {
      problems.push({ path: ['input', 'description'], message: `must be at most ${MAX_DESCRIPTION_LENGTH} characters` });
    } else out.description = d;
  }
  if (input.events !== undefined && input.events !== null) {
    const seen = new Set<string>();
    input.events.forEach((ev, i) => {
      if (!KNOWN_EVENTS.has(ev)) problems.push({ path: ['input', 'events', i], message: `unknown event type ${JSON.stringify(ev)}` });
      else seen.add(ev);
    });
    out.events = [...seen].sort();
  }
  if (problems.length > 0) throw AppError.badInput(problems.map((p) => `${p.path.slice(1).join('.')}: ${p.message}`).join('; '), problems);
  return out;
}

export function validateOverlapSeconds(value: number | null | undefined): number {
  if (value === undefined || value === null) return DEFAULT_ROTATION_OVERLAP_SECONDS;
  if (!Number.isInteger(value) || value < 0 || value > MAX_ROTATION_OVERLAP_SECONDS) {
    throw AppError.badInput('invalid overlap', [
      { path: ['overlapSeconds'], message: `must be a whole number of seconds between 0 and ${MAX_ROTATION_OVERLAP_SECONDS}` },
    ]);
  }
  return value;
}

/** Keys whose values must never leave in a webhook body, whatever a producer passes. */
const SECRET_KEYS = /^(secret|password|passwordhash|hash|keyhash|secrethash|ciphertext|wrappedkey|sealed|token|sessiontoken|pepper)$/i;

/** A copy of `data` without secret-looking fields (defence in depth; producers should not pass them). */
export function scrubSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return null;
  if (Array.isArray(value)) return value.map((v) => scrubSecrets(v, depth + 1));
  if (value instanceof Date) return value.toISOString();
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.test(k) && v !== undefined) out[k] = scrubSecrets(v, depth + 1);
    return out;
  }
  return value;
}
