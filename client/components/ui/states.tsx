import type { ReactNode } from 'react';
import type { ApiFailure } from '@/lib/api';

/** What a panel shows when the API refused or could not be reached. */
export function ErrorState({ error, title = 'Could not load this' }: { error: Pick<ApiFailure, 'message' | 'code'>; title?: string }) {
  const hint =
    error.code === 'FORBIDDEN'
      ? 'Your role does not include the permission this needs. Ask an administrator.'
      : error.code === 'NETWORK'
        ? 'Check that the API is running, then reload.'
        : null;
  return (
    <div className="state state-error" role="alert">
      <p className="state-title">{title}</p>
      <p>{error.message}</p>
      {hint ? <p className="muted">{hint}</p> : null}
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="state state-empty">
      <p className="state-title">{title}</p>
      {children ? <div className="muted">{children}</div> : null}
    </div>
  );
}

/** An API the console knows about but this server does not offer yet. */
export function UnavailableState({ what }: { what: string }) {
  return (
    <div className="state state-empty" role="note">
      <p className="state-title">{what} is not available on this API</p>
      <p className="muted">This server does not offer it yet. It appears here once the API is upgraded.</p>
    </div>
  );
}

export function LoadingState({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}
