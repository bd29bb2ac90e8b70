import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SidebarNav } from '@/components/sidebar-nav';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Latchkey', template: '%s · Latchkey' },
  description: 'Issue, guard, meter and retire API keys.',
  referrer: 'no-referrer',
};

export const viewport: Viewport = { colorScheme: 'light dark' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <a className="skip-link" href="#main">
          Skip to content
        </a>
        <div className="shell">
          <aside className="sidebar">
            <Link className="brand" href="/" prefetch={false}>
              <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
                <rect width="32" height="32" rx="7" fill="currentColor" />
                <circle cx="12" cy="16" r="5" fill="none" stroke="#fff" strokeWidth="3" />
                <path d="M17 16h10m-4 0v4m4-4v3" stroke="#fff" strokeWidth="3" strokeLinecap="round" />
              </svg>
              Latchkey
            </Link>
            <SidebarNav />
            <div className="sidebar-footer">
              <Link href="/login" prefetch={false}>
                Sign in
              </Link>
            </div>
          </aside>
          <main id="main" className="content" tabIndex={-1}>
            {children}
          </main>
        </div>
      </body>
    </html>
  );
}
