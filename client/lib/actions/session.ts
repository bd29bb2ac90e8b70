'use server';

import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { graphql } from '@/gql';
import { gqlRequest } from '../api';
import { SESSION_COOKIE } from '../session-cookie';
import { crossSiteRefusal } from './guard';

const Logout = graphql(`
  mutation Logout {
    logout
  }
`);

/** Ends the session at the API (so the token is dead everywhere), then drops the cookie. */
export async function signOut(): Promise<void> {
  if (await crossSiteRefusal()) return;
  const jar = await cookies();
  try {
    // An already-dead session redirects from inside gqlRequest; the cookie goes either way.
    if (jar.has(SESSION_COOKIE)) await gqlRequest(Logout, {});
  } finally {
    jar.delete(SESSION_COOKIE);
  }
  redirect('/login?signedOut=1');
}
