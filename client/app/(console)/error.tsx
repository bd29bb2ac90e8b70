'use client';

import { useEffect } from 'react';

/**
 * Last resort for a page that threw (the API answered something unexpected). Expected
 * failures never get here: pages render their own error states from ApiResult.
 */
export default function ConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">Something went wrong on this page</p>
      <p>{error.digest ? `Reference ${error.digest}. ` : ''}Try again; if it keeps happening, the server log has the details.</p>
      <button className="button" type="button" onClick={() => reset()}>
        Try again
      </button>
    </div>
  );
}
