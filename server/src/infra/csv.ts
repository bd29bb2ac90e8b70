import { stringify, type Options } from 'csv-stringify/sync';

/**
 * The CSV of every export (audit log, reports): RFC 4180 with CRLF records, quoting only
 * where needed, and one formula rule — csv-stringify's `escape_formulas`, OWASP's
 * CSV-injection advice: a text cell starting with = + - @ tab or CR (or their full-width
 * forms) gets a leading `'`, so a spreadsheet shows it instead of running it. Numbers are
 * never touched (-5 stays -5); text that only looks like a number is, since it is user
 * text (key names, user agents, alert summaries).
 */
const OPTIONS: Options = {
  escape_formulas: true,
  record_delimiter: 'windows',
  // Naming a record delimiter turns off quoting of bare \n and \r unless this says so.
  quote_record_delimiter: true,
  eof: true,
  cast: {
    date: (d) => d.toISOString(),
    boolean: (b) => String(b),
    // Lists read better as "a; b" than as JSON; other objects stay JSON.
    object: (o) => (Array.isArray(o) ? o.map((x: unknown) => (x instanceof Date ? x.toISOString() : String(x))).join('; ') : JSON.stringify(o)),
  },
};

/** CSV records, each ending in CRLF. null and undefined cells are empty. */
export function csvRecords(records: readonly (readonly unknown[])[]): string {
  return stringify(records as unknown[][], OPTIONS);
}
