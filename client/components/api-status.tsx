import { connection } from 'next/server';
import { checkApiReadiness } from '@/lib/api-status';
import { getConsoleConfig } from '@/lib/config';

/** Server component: asks the API whether it is ready on every request, never at build time. */
export async function ApiStatus() {
  await connection();
  const status = await checkApiReadiness(getConsoleConfig());
  const text = status.ready ? 'API: ready' : `API: unavailable (${status.reason})`;
  return (
    <section className="panel" aria-labelledby="api-status-title">
      <h2 id="api-status-title">System status</h2>
      <p role="status" className={`status ${status.ready ? 'status-ok' : 'status-down'}`}>
        <span className="status-dot" aria-hidden="true" />
        {text}
      </p>
    </section>
  );
}
