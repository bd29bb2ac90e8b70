import { NextResponse, type NextRequest } from 'next/server';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { auditFilter, parseAuditParams } from '@/lib/audit-filter';

const Export = graphql(`
  query AuditExport($filter: AuditEventFilter, $format: AuditExportFormat!) { auditExport(filter: $filter, format: $format) }
`);

/**
 * Downloads the filtered audit trail as a file. A GET that changes nothing; only a
 * console page (same origin) or a typed URL may start it, never another site's link.
 */
export async function GET(request: NextRequest): Promise<NextResponse> {
  const site = request.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') return NextResponse.json({ error: 'same-origin only' }, { status: 403 });
  const format = request.nextUrl.searchParams.get('format') === 'NDJSON' ? 'NDJSON' : 'CSV';
  const result = await gqlRequest(Export, { filter: auditFilter(parseAuditParams(request.nextUrl.searchParams)), format });
  if (!result.ok) return NextResponse.json({ error: result.message }, { status: result.code === 'FORBIDDEN' ? 403 : 502 });
  const ext = format === 'CSV' ? 'csv' : 'ndjson';
  return new NextResponse(result.data.auditExport, {
    headers: {
      'content-type': format === 'CSV' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
      'content-disposition': `attachment; filename="latchkey-audit-${new Date().toISOString().slice(0, 10)}.${ext}"`,
      'cache-control': 'no-store',
    },
  });
}
