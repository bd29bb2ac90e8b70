'use client';

import { useEffect, useRef, useState } from 'react';
import type { TypedDocumentString } from '@/gql/graphql';
import { useLive } from './live-provider';

export interface SubscriptionState {
  error: string | null;
  /** True once the API accepted the subscription (first event or connected). */
  active: boolean;
}

/**
 * Subscribes while mounted; `onData` sees every event. Variables are compared by value
 * so callers may pass object literals.
 */
export function useSubscription<R, V>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  enabled = true,
): SubscriptionState {
  const { client, state } = useLive();
  const [error, setError] = useState<string | null>(null);
  const handler = useRef(onData);
  useEffect(() => {
    handler.current = onData;
  });
  const key = JSON.stringify(variables);

  useEffect(() => {
    if (!client || !enabled) return;
    const dispose = client.subscribe<R>(
      { query: document.toString(), variables: JSON.parse(key) as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.length) setError(result.errors[0]?.message ?? 'subscription error');
          else if (result.data) {
            setError(null);
            handler.current(result.data);
          }
        },
        error: (e) => setError(e instanceof Error ? e.message : Array.isArray(e) ? String(e[0]?.message) : 'connection lost'),
        complete: () => undefined,
      },
    );
    return dispose;
  }, [client, document, key, enabled]);

  return { error, active: state === 'live' && error === null };
}
