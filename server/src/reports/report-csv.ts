/** One column of a report: its key in each row and its CSV header. */
export interface Column {
  key: string;
  header: string;
}

/**
 * RFC 4180 CSV. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
 * are prefixed with a quote: key names and alert summaries are user text.
 */
export function toCsv(columns: readonly Column[], rows: readonly Record<string, unknown>[]): string {
  const lines = [columns.map((c) => cell(c.header)).join(',')];
  for (const r of rows) lines.push(columns.map((c) => cell(r[c.key])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(v: unknown): string {
  let s: string;
  if (v === null || v === undefined) s = '';
  else if (v instanceof Date) s = v.toISOString();
  else if (Array.isArray(v)) s = v.map((x) => (x instanceof Date ? x.toISOString() : String(x))).join('; ');
  else if (typeof v === 'object') s = JSON.stringify(v);
  else s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Dates as ISO strings, so the JSON rows and the CSV say the same thing. */
export function jsonRow(r: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}
