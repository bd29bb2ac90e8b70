import { NextResponse, type NextRequest } from 'next/server';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { parseReportParams, reportVariables } from '@/lib/reports';

const Report = graphql(`
  query ReportDownload($kind: ReportKind!, $from: DateTimeISO!, $to: DateTimeISO!, $format: ReportFormat!, $unusedDays: Int) {
    report(kind: $kind, from: $from, to: $to, format: $format, unusedDays: $unusedDays) { csv rows columns { key header } }
  }
`);

/** A report as a file; same-origin guard as the audit export. */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return NextResponse.json({ error: 'same-origin only' }, { status: 403 });
  const p = parseReportParams(request.nextUrl.searchParams);
  const format = request.nextUrl.searchParams.get('format') === 'JSON' ? 'JSON' : 'CSV';
  const r = await gqlRequest(Report, { ...reportVariables(p), format });
  if (!r.ok) return NextResponse.json({ error: r.message }, { status: r.code === 'FORBIDDEN' ? 403 : 502 });
  const name = `latchkey-${p.kind.toLowerCase().replace(/_/g, '-')}-${p.from}-to-${p.to}`;
  const body = format === 'CSV' ? (r.data.report.csv ?? '') : JSON.stringify({ ...p, columns: r.data.report.columns, rows: r.data.report.rows }, null, 2);
  return new NextResponse(body, {
    headers: {
      'content-type': format === 'CSV' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="${name}.${format === 'CSV' ? 'csv' : 'json'}"`,
      'cache-control': 'no-store',
    },
  });
}
