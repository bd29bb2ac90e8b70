import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { staticSecurityHeaders } from './lib/security-headers.ts';

const nextConfig: NextConfig = {
  output: 'standalone',
  // Dependencies are hoisted to the workspace root, so tracing must start there; the
  // standalone server then lands at .next/standalone/client/server.js.
  outputFileTracingRoot: fileURLToPath(new URL('..', import.meta.url)),
  poweredByHeader: false,
  reactStrictMode: true,
  // Only headers that never depend on the environment: headers() is frozen at build
  // time. The CSP (which names the runtime API origin) is set per request in proxy.ts.
  async headers() {
    return [{ source: '/:path*', headers: staticSecurityHeaders() }];
  },
};

export default nextConfig;
