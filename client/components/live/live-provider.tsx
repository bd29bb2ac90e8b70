'use client';

import { createClient, type Client } from 'graphql-ws';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { SCRIPT_HEADER } from '@/lib/csrf';

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'unavailable';

interface LiveContextValue {
  client: Client | null;
  state: LiveState;
}

const LiveContext = createContext<LiveContextValue>({ client: null, state: 'unavailable' });

/** graphql-ws closes with 4403 when connection_init is refused: the session is gone. */
const FORBIDDEN = 4403;

/**
 * Set while this tab signs out on purpose: the API then closes our socket (the session
 * is revoked), which must not read as "your session expired".
 */
let signingOut = false;
export function markSigningOut(): void {
  signingOut = true;
}

async function fetchTicket(): Promise<string> {
  const response = await fetch('/api/ws-ticket', { cache: 'no-store', credentials: 'same-origin', headers: { [SCRIPT_HEADER]: '1' } });
  if (response.status === 401) {
    if (!signingOut) window.location.assign('/login?expired=1');
    throw new Error('signed out');
  }
  if (!response.ok) throw new Error(`ws ticket refused (${response.status})`);
  const { token } = (await response.json()) as { token: string };
  return token;
}

/**
 * One graphql-ws connection per tab, shared by every live pane (the API caps sockets
 * per principal). The token is fetched on each (re)connect and kept only inside the
 * connection_init closure: never in state, storage or the DOM.
 */
export function LiveProvider({ wsUrl, children }: { wsUrl: string; children: ReactNode }) {
  const [state, setState] = useState<LiveState>('connecting');
  const [client, setClient] = useState<Client | null>(null);

  useEffect(() => {
    const c = createClient({
      url: wsUrl,
      lazy: true,
      lazyCloseTimeout: 5_000,
      retryAttempts: Number.POSITIVE_INFINITY,
      shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && event.code === FORBIDDEN),
      connectionParams: async () => ({ authorization: `Bearer ${await fetchTicket()}` }),
      on: {
        connected: () => setState('live'),
        closed: (event) => {
          const code = event && typeof event === 'object' && 'code' in event ? (event as CloseEvent).code : 0;
          if (signingOut) return;
          if (code === FORBIDDEN) window.location.assign('/login?expired=1');
          else setState('reconnecting');
        },
        error: () => setState('reconnecting'),
      },
    });
    setClient(c);
    return () => {
      void c.dispose();
    };
  }, [wsUrl]);

  const value = useMemo(() => ({ client, state }), [client, state]);
  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLive(): LiveContextValue {
  return useContext(LiveContext);
}
