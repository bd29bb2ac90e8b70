import { connection } from 'next/server';
import { checkApiReadiness } from '@/lib/api-status';
import { getConsoleConfig } from '@/lib/config';

/** Server component: asks the API whether it is ready on every request, never at build time. */
export async function ApiStatus() {
  await connection();
  const status = await checkApiReadiness(getConsoleConfig());
  const text = status.ready ? 'API: ready' : `API: unavailable (${status.reason})`;
  return (
    <p role="status" className={`status api-status ${status.ready ? 'status-ok' : 'status-down'}`}>
      <span className="status-dot" aria-hidden="true" />
      {text}
    </p>
  );
}
