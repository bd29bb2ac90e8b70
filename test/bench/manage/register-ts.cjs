// Lets Node 20 (no type stripping) run the management benchmark's TypeScript, and the
// server sources it imports (models, key format, audit hashing), without a build step:
// the same swc transform jest uses (jest.config.js), as a require hook.
const swc = require('@swc/core');

const OPTIONS = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

require.extensions['.ts'] = function compileTs(module, filename) {
  const { code } = swc.transformFileSync(filename, { ...OPTIONS, filename });
  module._compile(code, filename);
};
