import { randomBytes } from 'node:crypto';
import type { IdPrefix } from '@latchkey/schema';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * Prefixed, time-ordered ids: 8 base36 chars of milliseconds then 12 random chars.
 * Sorting by id sorts by creation time, which cursor pagination relies on.
 */
export function newId(prefix: IdPrefix): string {
  const time = Date.now().toString(36).padStart(9, '0');
  const bytes = randomBytes(12);
  let rand = '';
  for (const b of bytes) rand += ALPHABET[b % 36];
  return `${prefix}_${time}${rand}`;
}
