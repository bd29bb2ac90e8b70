import Link from 'next/link';
import type { KeyListQuery } from '@/gql/graphql';
import { Badge } from '@/components/ui/badge';
import { formatDate, formatDateShort } from '@/components/ui/format';

type Row = KeyListQuery['apiKeys']['nodes'][number];

export function KeyTable({ keys }: { keys: readonly Row[] }) {
  return (
    <div className="table-wrap">
      <table className="data">
        <caption className="visually-hidden">API keys</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Type · environment</th>
            <th scope="col">Status</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => (
            <tr key={k.id}>
              <td style={{ minWidth: '10rem' }}>
                <Link href={`/keys/${k.id}`} prefetch={false}>
                  {k.name}
                </Link>
                {k.tags.length ? (
                  <div className="chips">
                    {k.tags.map((t) => (
                      <span className="chip" key={t}>
                        {t}
                      </span>
                    ))}
                  </div>
                ) : null}
              </td>
              <td className="mono nowrap">
                {k.start}…{k.last4}
              </td>
              <td>
                {k.type} · {k.subtype.replace(/_/g, ' ')}
                <div className="muted">{k.environment}</div>
              </td>
              <td>
                <Badge value={k.status} />
              </td>
              <td className="nowrap" title={k.lastUsedAt ? formatDate(k.lastUsedAt) : undefined}>{k.lastUsedAt ? formatDateShort(k.lastUsedAt) : 'Never'}</td>
              <td className="nowrap" title={k.expiresAt ? formatDate(k.expiresAt) : undefined}>{k.expiresAt ? formatDateShort(k.expiresAt) : 'Never'}</td>
              <td className="nowrap" title={formatDate(k.createdAt)}>{formatDateShort(k.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
