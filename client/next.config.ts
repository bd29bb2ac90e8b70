import { fileURLToPath } from 'node:url';
import type { NextConfig } from 'next';
import { getConsoleConfig } from './lib/config.ts';
import { securityHeaders } from './lib/security-headers.ts';

const nextConfig: NextConfig = {
  output: 'standalone',
  // Dependencies are hoisted to the workspace root, so tracing must start there; the
  // standalone server then lands at .next/standalone/client/server.js.
  outputFileTracingRoot: fileURLToPath(new URL('..', import.meta.url)),
  poweredByHeader: false,
  reactStrictMode: true,
  // headers() is evaluated by `next build` and baked into the routes manifest, so the
  // CSP's API origin is the LATCHKEY_API_URL present at build time.
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders(getConsoleConfig()) }];
  },
};

export default nextConfig;
