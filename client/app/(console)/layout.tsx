import Link from 'next/link';
import type { ReactNode } from 'react';
import { SidebarNav } from '@/components/sidebar-nav';
import { BrandMark } from '@/components/brand-mark';
import { graphql } from '@/gql';
import { gqlRequest } from '@/lib/api';
import { SignOutForm } from '@/components/sign-out-form';
import { getConsoleConfig } from '@/lib/config';
import { LiveProvider } from '@/components/live/live-provider';

const ShellMe = graphql(`
  query ShellMe {
    me {
      id
      kind
      user { name email }
      organization { name }
    }
  }
`);

/** Every signed-in page: sidebar, who is signed in, sign-out. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const me = await gqlRequest(ShellMe, {});
  const user = me.ok ? me.data.me.user : null;
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <div className="shell">
        <aside className="sidebar">
          <Link className="brand" href="/" prefetch={false}>
            <BrandMark />
            Latchkey
          </Link>
          <SidebarNav />
          <div className="sidebar-footer">
            {me.ok ? (
              <p className="whoami">
                <span className="whoami-name">{user?.name || user?.email || me.data.me.id}</span>
                <span className="whoami-org">{me.data.me.organization.name}</span>
              </p>
            ) : null}
            <SignOutForm />
          </div>
        </aside>
        <main id="main" className="content" tabIndex={-1}>
          {/* The browser reaches the API at the runtime public URL, handed down as a prop. */}
          <LiveProvider wsUrl={getConsoleConfig().publicWsUrl}>{children}</LiveProvider>
        </main>
      </div>
    </>
  );
}
