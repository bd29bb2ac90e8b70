'use client';

import { useState, useTransition } from 'react';
import type { ApiResult } from '@/lib/api';

/** Runs a server action from a client leaf and keeps its pending state, error and result. */
export function useAction<A extends unknown[], T>(action: (...args: A) => Promise<ApiResult<T>>) {
  const [pending, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [data, setData] = useState<T | null>(null);

  function run(...args: A): Promise<T | null> {
    setError(null);
    return new Promise((resolve) => {
      startTransition(async () => {
        const result = await action(...args);
        if (result.ok) {
          setData(result.data);
          resolve(result.data);
        } else {
          const details = result.fields?.length ? ` (${result.fields.map((f) => `${f.path}: ${f.message}`).join('; ')})` : '';
          setError(`${result.message}${details}`);
          resolve(null);
        }
      });
    });
  }

  return { run, pending, error, data, reset: () => (setError(null), setData(null)) };
}

export function FormError({ error }: { error: string | null }) {
  return error ? (
    <p className="alert alert-error" role="alert">
      {error}
    </p>
  ) : null;
}
