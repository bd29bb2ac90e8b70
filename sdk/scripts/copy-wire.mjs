// The verify route's wire types are written once, in schema/src/verify-wire.ts. The SDK is
// published without our other packages, so it compiles a copy of that file (which imports
// nothing) instead of depending on @latchkey/schema. Run by `npm run codegen`.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = join(here, '../../schema/src/verify-wire.ts');
const target = join(here, '../src/generated/verify-wire.ts');
const text = readFileSync(source, 'utf8');
if (/^\s*import\s/m.test(text)) throw new Error(`${source} must import nothing: the SDK ships a copy of it`);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, `// Copied from schema/src/verify-wire.ts by sdk/scripts/copy-wire.mjs. Do not edit.\n${text}`);
