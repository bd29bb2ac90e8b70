import type { Metadata } from 'next';

export const metadata: Metadata = { title: 'Sign in' };

interface LoginPageProps {
  searchParams: Promise<{ error?: string | string[] }>;
}

export default async function LoginPage({ searchParams }: LoginPageProps) {
  const { error } = await searchParams;
  const message = Array.isArray(error) ? error[0] : error;

  return (
    <section className="auth-card" aria-labelledby="login-title">
      <h1 id="login-title">Sign in to Latchkey</h1>
      {message ? (
        <p className="alert alert-error" role="alert">
          {message}
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
    </section>
  );
}
