import type { Client } from 'graphql-ws';
import type { FuzzOp } from './fuzz-arbitraries';
import { record, type FuzzSummary } from './fuzz-runner';

/**
 * One fuzzed operation over graphql-ws. Results, protocol errors and socket closes are
 * recorded like HTTP responses; the "status" of a ws answer is 200 for a result, 400 for
 * an error message, or the close code (4500 / 1011 = the server failed internally).
 * A subscription that is accepted and quiet is ended after a short wait.
 */
export function sendOneWs(client: Client, op: FuzzOp, s: FuzzSummary): Promise<void> {
  s.overWs++;
  return new Promise((resolve) => {
    let done = false;
    const finish = (status: number, text: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      dispose();
      record(s, op, status, text);
      resolve();
    };
    const dispose = client.subscribe(
      { query: op.query, variables: op.variables },
      {
        next: (v) => finish(v.errors?.length ? 400 : 200, JSON.stringify(v)),
        error: (e: unknown) => {
          const code = (e as { code?: number } | undefined)?.code;
          if (typeof code === 'number') finish(code, `socket closed ${code} ${(e as { reason?: string }).reason ?? ''}`);
          else finish(400, JSON.stringify({ errors: e }));
        },
        complete: () => finish(200, '{"data":null}'),
      },
    );
    const timer = setTimeout(() => finish(200, '{"data":"(quiet subscription)"}'), 1_000);
  });
}
