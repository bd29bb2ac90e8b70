import Link from 'next/link';

/**
 * Cursor pagination: the API pages forward only, so the way back is "first page". The
 * current filters ride along in the links.
 */
interface PagerProps {
  basePath: string;
  params: Record<string, string | undefined>;
  endCursor: string | null;
  hasNextPage: boolean;
  isFirstPage: boolean;
  summary?: string;
}

export function Pager({ basePath, params, endCursor, hasNextPage, isFirstPage, summary }: PagerProps) {
  const keep = Object.entries(params).filter(([k, v]) => v !== undefined && k !== 'after') as [string, string][];
  const first = `${basePath}?${new URLSearchParams(keep)}`;
  const next = endCursor ? `${basePath}?${new URLSearchParams([...keep, ['after', endCursor]])}` : null;
  return (
    <nav className="pager" aria-label="Pagination">
      <span className="muted">{summary}</span>
      <span className="form-row">
        {!isFirstPage ? (
          <Link className="button button-small" href={first} prefetch={false}>
            ← First page
          </Link>
        ) : null}
        {hasNextPage && next ? (
          <Link className="button button-small" href={next} prefetch={false}>
            Next page →
          </Link>
        ) : null}
      </span>
    </nav>
  );
}
