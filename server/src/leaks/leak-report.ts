import { z } from 'zod';
import { ErrorCode } from '@latchkey/schema';
import { AppError } from '../infra/app-error';
import { zodProblems } from '../access/validation';

/** GitHub sends batches far below these; anything larger is refused whole. */
export const MAX_LEAK_BATCH = 1000;
export const MAX_LEAK_BODY = '1mb';

/**
 * One reported match, in the shape of GitHub's secret-scanning partner program
 * (`[{token, type, url, source}]`). Fields GitHub may add later are ignored, not refused.
 */
const LeakItem = z.looseObject({
  token: z.string({ error: 'must be a string' }).min(1, 'must not be empty').max(1024, 'at most 1024 characters'),
  type: z.string({ error: 'must be a string' }).max(200, 'at most 200 characters').nullish(),
  url: z.string({ error: 'must be a string' }).max(2048, 'at most 2048 characters').nullish(),
  source: z.string({ error: 'must be a string' }).max(200, 'at most 200 characters').nullish(),
});

export interface LeakItem {
  token: string;
  type: string | null;
  url: string | null;
  source: string | null;
}

/** The answer GitHub expects for each reported token. */
export interface LeakLabel {
  token_raw: string;
  token_type: string;
  label: 'true_positive' | 'false_positive';
}

/** Parses a report body; BAD_USER_INPUT (with field paths) or PAYLOAD_TOO_LARGE otherwise. */
export function parseLeakReport(body: unknown): LeakItem[] {
  if (!Array.isArray(body)) {
    throw AppError.badInput('a leak report is a JSON array of {token, type, url, source}', [{ path: [], message: 'must be an array' }]);
  }
  if (body.length === 0) throw AppError.badInput('a leak report needs at least one item', [{ path: [], message: 'must not be empty' }]);
  if (body.length > MAX_LEAK_BATCH) {
    throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, `a leak report holds at most ${MAX_LEAK_BATCH} items (got ${body.length}); split it`);
  }
  const parsed = z.array(LeakItem).safeParse(body);
  if (!parsed.success) {
    const problems = zodProblems(parsed.error, []);
    throw AppError.badInput(`malformed leak report: ${problems[0]?.path.join('.') ?? ''} ${problems[0]?.message ?? ''}`.trim(), problems.slice(0, 20));
  }
  return parsed.data.map((i) => ({ token: i.token, type: i.type ?? null, url: i.url ?? null, source: i.source ?? null }));
}

/** The `token_type` we answer with when the reporter named none. */
export const DEFAULT_TOKEN_TYPE = 'latchkey_api_key';
