'use client';

import dynamic from 'next/dynamic';
import { LoadingState } from '@/components/ui/states';

// GraphiQL's editor touches `window` as it loads: browser only.
export const Explorer = dynamic(() => import('./graphiql-view').then((m) => m.GraphiQLView), {
  ssr: false,
  loading: () => <LoadingState label="Loading the explorer…" />,
});
