// A diagnostic jest environment: after each test file it lists the ref'd handles (sockets,
// servers, timers, child processes) the file left open, which keep a worker from exiting.
//   npx jest --selectProjects integration --testEnvironment ./test/src/harness/open-handles-environment.js <dir>
// Findings are appended to $LATCHKEY_OPEN_HANDLES_FILE (default: stderr). Plain JS: jest
// loads an environment before any transform runs.
const { appendFileSync } = require('node:fs');
const { TestEnvironment } = require('jest-environment-node');

function describe(h) {
  const n = h.constructor?.name ?? typeof h;
  if (n === 'Socket') return `Socket(${h.remoteAddress}:${h.remotePort} from :${h.localPort})`;
  if (n === 'Server') return `Server(:${h.address?.()?.port})`;
  if (n === 'Timeout') return `Timeout(${h._idleTimeout} ms: ${String(h._onTimeout).slice(0, 80).replace(/\s+/g, ' ')})`;
  if (n === 'ChildProcess') return `ChildProcess(${h.spawnfile})`;
  return n;
}

function openHandles() {
  return process._getActiveHandles().filter((h) => typeof h.hasRef !== 'function' || h.hasRef()).map(describe);
}

class OpenHandlesEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.testPath = context.testPath;
  }

  async setup() {
    await super.setup();
    this.before = new Set(openHandles());
  }

  async teardown() {
    // Closing sockets and servers finish on the next turns of the loop.
    await new Promise((r) => setTimeout(r, 1_000));
    const left = openHandles().filter((h) => !this.before.has(h));
    if (left.length > 0) {
      const text = `${this.testPath} left open:\n  ${left.join('\n  ')}\n`;
      if (process.env.LATCHKEY_OPEN_HANDLES_FILE) appendFileSync(process.env.LATCHKEY_OPEN_HANDLES_FILE, text);
      else process.stderr.write(text);
    }
    await super.teardown();
  }
}

module.exports = OpenHandlesEnvironment;
