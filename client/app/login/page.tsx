import type { Metadata } from 'next';
import { ApiStatus } from '@/components/api-status';
import { BrandMark } from '@/components/brand-mark';

export const metadata: Metadata = { title: 'Sign in' };

interface LoginPageProps {
  searchParams: Promise<{ error?: string | string[]; expired?: string; signedOut?: string }>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const { error, expired, signedOut } = await searchParams;
  const message = Array.isArray(error) ? error[0] : error;

  return (
    <div className="auth-page">
      <section className="auth-card" aria-labelledby="login-title">
        <p className="auth-brand">
          <BrandMark /> Latchkey
        </p>
        <h1 id="login-title">Sign in to Latchkey</h1>
        {message ? (
          <p className="alert alert-error" role="alert">
            {message}
          </p>
        ) : null}
        {expired && !message ? (
          <p className="alert alert-warn" role="alert">
            Your session has expired. Sign in again to continue.
          </p>
        ) : null}
        {signedOut && !message && !expired ? (
          <p className="alert alert-info" role="status">
            You have been signed out.
          </p>
        ) : null}
        {/* A plain form post: works before hydration and keeps the token out of client JS. */}
        <form className="form" method="post" action="/api/session">
          <div className="field">
            <label htmlFor="email">Email</label>
            <input id="email" name="email" type="email" autoComplete="username" required autoFocus />
          </div>
          <div className="field">
            <label htmlFor="password">Password</label>
            <input id="password" name="password" type="password" autoComplete="current-password" required />
          </div>
          <button className="button button-primary" type="submit">
            Sign in
          </button>
        </form>
        <ApiStatus />
      </section>
    </div>
  );
}
