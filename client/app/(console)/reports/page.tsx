import type { Metadata } from 'next';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { REPORT_KINDS, parseReportParams, reportVariables } from '@/lib/reports';
import { PageHeader, Panel } from '@/components/ui/page-header';
import { EmptyState, ErrorState } from '@/components/ui/states';
import { formatDate } from '@/components/ui/format';

export const metadata: Metadata = { title: 'Reports' };

const Report = graphql(`
  query ReportPreview($kind: ReportKind!, $from: DateTimeISO!, $to: DateTimeISO!, $unusedDays: Int) {
    report(kind: $kind, from: $from, to: $to, format: JSON, unusedDays: $unusedDays) {
      kind from to generatedAt rowCount rows columns { key header }
    }
  }
`);

const cell = (v: unknown) => (v === null || v === undefined ? '—' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const PREVIEW_ROWS = 50;

export default async function ReportsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const p = parseReportParams(await searchParams);
  const r = await gqlRequest(Report, reportVariables(p));
  const query = new URLSearchParams({ kind: p.kind, from: p.from, to: p.to, ...(p.unusedDays ? { unusedDays: String(p.unusedDays) } : {}) });

  return (
    <>
      <PageHeader title="Reports" description="Usage, performance, incidents, cost and compliance over a period, to read here or download." />
      <form className="filters panel" method="get" action="/reports" aria-label="Choose a report">
        <fieldset className="field-grow">
          <legend>Report</legend>
          <div className="choice-grid">
            {REPORT_KINDS.map((k) => (
              <label className="choice" key={k.kind}>
                <input type="radio" name="kind" value={k.kind} defaultChecked={k.kind === p.kind} />
                {k.label}
                <small>{k.hint}</small>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor="rp-from">From</label>
          <input id="rp-from" name="from" type="date" defaultValue={p.from} required />
        </div>
        <div className="field">
          <label htmlFor="rp-to">To (exclusive)</label>
          <input id="rp-to" name="to" type="date" defaultValue={p.to} required />
        </div>
        <div className="field">
          <label htmlFor="rp-unused">Unused after (days)</label>
          <input id="rp-unused" name="unusedDays" type="number" min={1} defaultValue={p.unusedDays ?? 90} />
        </div>
        <button className="button button-primary" type="submit">Generate</button>
      </form>
      {!r.ok ? (
        <ErrorState error={r} title="Could not generate the report" />
      ) : (
        <Panel
          title={`${REPORT_KINDS.find((k) => k.kind === p.kind)?.label} · ${p.from} → ${p.to}`}
          id="report"
          actions={
            <span className="form-row">
              <a className="button button-small" href={`/api/export/report?${query}&format=CSV`} download>Download CSV</a>
              <a className="button button-small" href={`/api/export/report?${query}&format=JSON`} download>Download JSON</a>
            </span>
          }
        >
          <p className="muted">
            {r.data.report.rowCount} rows · generated {formatDate(r.data.report.generatedAt)}
            {r.data.report.rowCount > PREVIEW_ROWS ? ` · showing the first ${PREVIEW_ROWS}` : ''}
          </p>
          {r.data.report.rows.length === 0 ? (
            <EmptyState title="Nothing to report for this period" />
          ) : (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>{r.data.report.columns.map((c) => <th scope="col" key={c.key}>{c.header}</th>)}</tr>
                </thead>
                <tbody>
                  {r.data.report.rows.slice(0, PREVIEW_ROWS).map((row, i) => (
                    <tr key={i}>{r.data.report.columns.map((c) => <td key={c.key}>{cell(row[c.key])}</td>)}</tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </Panel>
      )}
    </>
  );
}
