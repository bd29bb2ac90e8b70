// tsc compiles .ts only: copy the runtime assets it skips (Lua scripts) from src/ to
// dist/ so `readFileSync(join(__dirname, 'x.lua'))` works from both trees.
import { chmodSync, cpSync, existsSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const ASSET = /\.lua$/;

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (ASSET.test(name)) {
      const to = join(dist, relative(src, p));
      mkdirSync(dirname(to), { recursive: true });
      cpSync(p, to);
    }
  }
}
walk(src);
// The `latchkey` bin (package.json) must be executable for npx and the pre-commit hook.
const cli = join(dist, 'cli', 'latchkey.js');
if (existsSync(cli)) chmodSync(cli, 0o755);
