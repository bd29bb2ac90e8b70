export interface GqlResult<T = Record<string, unknown>> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  headers: Headers;
}

/**
 * POSTs a GraphQL operation the way a browser-less client would (JSON, with the
 * preflight header Apollo's CSRF prevention wants for non-JSON content types).
 */
export async function gql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<GqlResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const text = await res.text();
  let body: { data?: T; errors?: GqlResult['errors'] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new Error(`non-JSON GraphQL response (${res.status}): ${text.slice(0, 300)}`);
  }
  return { status: res.status, data: body.data ?? undefined, errors: body.errors, headers: res.headers };
}

/** Like gql() but throws on any error, returning data. */
export async function gqlOk<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  opts: { token?: string; headers?: Record<string, string> } = {},
): Promise<T> {
  const r = await gql<T>(url, query, variables, opts);
  if (r.errors?.length || !r.data) throw new Error(`GraphQL error (${r.status}): ${JSON.stringify(r.errors)}`);
  return r.data;
}

/** The error code of the first GraphQL error. */
export function errorCode(r: GqlResult<unknown>): string | undefined {
  return r.errors?.[0]?.extensions?.code as string | undefined;
}
