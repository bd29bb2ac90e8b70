import { csvRecords } from '../infra/csv';

/** One column of a report: its key in each row and its CSV header. */
export interface Column {
  key: string;
  header: string;
}

/** The report as CSV (infra/csv: RFC 4180, formula cells defused): a header row, then the rows. */
export function toCsv(columns: readonly Column[], rows: readonly Record<string, unknown>[]): string {
  return csvRecords([columns.map((c) => c.header), ...rows.map((r) => columns.map((c) => r[c.key]))]);
}

/** Dates as ISO strings, so the JSON rows and the CSV say the same thing. */
export function jsonRow(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}
