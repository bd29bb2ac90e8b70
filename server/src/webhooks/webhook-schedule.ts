/**
 * The retry schedule: the delay before each attempt of a series, the first being
 * immediate. Receivers that are down for a deploy recover within the first minutes;
 * ones down for a day still get the event. ±10 % jitter keeps a receiver that comes
 * back from being hit by every queued delivery in the same second.
 */
export const DEFAULT_WEBHOOK_SCHEDULE_MS: readonly number[] = [
  0,
  5_000,
  5 * 60_000,
  30 * 60_000,
  2 * 3600_000,
  5 * 3600_000,
  10 * 3600_000,
  10 * 3600_000,
];

export const WEBHOOK_JITTER = 0.1;

export function validateSchedule(schedule: readonly number[]): readonly number[] {
  if (schedule.length < 1 || schedule.length > 50) throw new Error('webhook schedule needs 1–50 entries');
  if (schedule[0] !== 0) throw new Error('the first webhook attempt is immediate: schedule[0] must be 0');
  if (schedule.some((ms) => !Number.isInteger(ms) || ms < 0)) throw new Error('webhook schedule entries are non-negative integers (ms)');
  return Object.freeze([...schedule]);
}

/**
 * Delay before the attempt after `attemptsMade` attempts, with jitter; -1 when the
 * schedule is exhausted (BullMQ reads -1 as "do not retry").
 */
export function retryDelayMs(schedule: readonly number[], attemptsMade: number, random: () => number = Math.random): number {
  const base = schedule[attemptsMade];
  if (base === undefined || attemptsMade < 1) return -1;
  return Math.round(base * (1 - WEBHOOK_JITTER + 2 * WEBHOOK_JITTER * random()));
}
