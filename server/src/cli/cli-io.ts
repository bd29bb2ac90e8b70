/** What a CLI command may touch of its process: injected so commands run in tests too. */
export interface CliIo {
  out(s: string): void;
  err(s: string): void;
  env: Record<string, string | undefined>;
}

export function processIo(): CliIo {
  return {
    out: (s) => process.stdout.write(s),
    err: (s) => process.stderr.write(s),
    env: process.env,
  };
}
