import { readFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the verify wire types', () => {
  it('are the copy of schema/src/verify-wire.ts the build makes (run `npm run codegen -w sdk` after changing it)', () => {
    const source = readFileSync(join(__dirname, '../../schema/src/verify-wire.ts'), 'utf8');
    const copy = readFileSync(join(__dirname, 'generated/verify-wire.ts'), 'utf8');
    expect(copy.slice(copy.indexOf('\n') + 1)).toBe(source);
  });
});
