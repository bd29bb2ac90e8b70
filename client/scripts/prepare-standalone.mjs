// `next build` with output: "standalone" leaves out static assets on purpose (a CDN is
// expected to serve them). Self-hosted, the standalone server serves them itself when
// they sit beside server.js, so copy them there.
import { cp, access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const clientDir = fileURLToPath(new URL('..', import.meta.url));
// The tracing root is the monorepo root, so the app keeps its workspace folder name.
const standaloneApp = path.join(clientDir, '.next', 'standalone', path.basename(clientDir));

async function exists(p) {
  return access(p).then(
    () => true,
    () => false,
  );
}

if (!(await exists(path.join(standaloneApp, 'server.js')))) {
  console.error(`prepare-standalone: ${standaloneApp}/server.js not found; did next build run?`);
  process.exit(1);
}

await cp(path.join(clientDir, '.next', 'static'), path.join(standaloneApp, '.next', 'static'), {
  recursive: true,
});
const publicDir = path.join(clientDir, 'public');
if (await exists(publicDir)) {
  await cp(publicDir, path.join(standaloneApp, 'public'), { recursive: true });
}
console.log(`prepare-standalone: ready at ${path.relative(process.cwd(), standaloneApp)}/server.js`);
