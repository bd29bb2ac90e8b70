'use client';

import { signOut } from '@/lib/actions/session';
import { markSigningOut } from './live/live-provider';

/** A client leaf only to tell live panes that the socket closing next is expected. */
export function SignOutForm() {
  return (
    <form action={signOut} onSubmit={() => markSigningOut()}>
      <button type="submit" className="button button-ghost button-block">
        Sign out
      </button>
    </form>
  );
}
