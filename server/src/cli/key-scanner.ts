import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKSUM_LENGTH, KEY_BODY_MAX_LENGTH, KEY_BODY_MIN_LENGTH, KEY_PREFIX_MAX_LENGTH, KEY_PREFIX_MIN_LENGTH, isWellFormedKey } from '../keys/key-format';

/**
 * Finds Latchkey API keys in text: a candidate must match the key format AND carry a
 * valid CRC32 checksum, so look-alikes (examples, test fixtures, random base62) are
 * not reported. Unlike the published KEY_REGEX (which uses `\b` so RE2 engines accept
 * it), the scanner uses look-arounds, so a key glued to an underscore (`MY_lk_prd_…`) is
 * still found.
 */
const CANDIDATE = new RegExp(
  `(?<![a-z0-9])[a-z0-9]{${KEY_PREFIX_MIN_LENGTH},${KEY_PREFIX_MAX_LENGTH}}_(?:dev|stg|prd)_` +
    `[0-9A-Za-z]{${KEY_BODY_MIN_LENGTH + CHECKSUM_LENGTH},${KEY_BODY_MAX_LENGTH + CHECKSUM_LENGTH}}(?![0-9A-Za-z])`,
  'g',
);

export interface Finding {
  file: string;
  line: number;
  column: number;
  /** The key itself: only ever printed masked, only ever sent to a leak endpoint. */
  key: string;
}

/** `lk_prd_AbCd…wxyz`: enough to recognize the key in the console, useless to an attacker. */
export function maskKey(key: string): string {
  const env = key.search(/_(?:dev|stg|prd)_/);
  const bodyStart = env + 5;
  return `${key.slice(0, bodyStart + 4)}…${key.slice(-4)}`;
}

export function scanText(file: string, text: string): Finding[] {
  const out: Finding[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.length < KEY_PREFIX_MIN_LENGTH + 5) continue;
    for (const m of line.matchAll(CANDIDATE)) {
      if (isWellFormedKey(m[0])) out.push({ file, line: i + 1, column: (m.index ?? 0) + 1, key: m[0] });
    }
  }
  return out;
}

const SKIP_DIRS = new Set(['.git', 'node_modules']);
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** Binary content (a NUL in the first 8 KiB) is skipped, as git does. */
function looksBinary(buf: Buffer): boolean {
  return buf.subarray(0, 8192).includes(0);
}

export interface ScanStats {
  files: number;
  skipped: number;
}

/** Scans files and directories (recursively; .git and node_modules skipped, symlinks not followed). */
export async function scanPaths(paths: readonly string[], stats: ScanStats = { files: 0, skipped: 0 }): Promise<Finding[]> {
  const findings: Finding[] = [];
  const visit = async (p: string): Promise<void> => {
    const st = await lstat(p).catch(() => null);
    if (!st) throw new Error(`${p}: no such file or directory`);
    if (st.isSymbolicLink()) return;
    if (st.isDirectory()) {
      for (const name of (await readdir(p)).sort()) if (!SKIP_DIRS.has(name)) await visit(join(p, name));
      return;
    }
    if (!st.isFile()) return;
    if (st.size > MAX_FILE_BYTES) {
      stats.skipped += 1;
      return;
    }
    const fh = await open(p, 'r');
    try {
      const buf = await fh.readFile();
      if (looksBinary(buf)) {
        stats.skipped += 1;
        return;
      }
      stats.files += 1;
      findings.push(...scanText(p, buf.toString('utf8')));
    } finally {
      await fh.close();
    }
  };
  for (const p of paths) await visit(p);
  return findings;
}

/** Scans blobs given as (name, content) pairs, e.g. the staged versions of files. */
export function scanBlobs(blobs: Iterable<{ name: string; content: Buffer }>, stats: ScanStats = { files: 0, skipped: 0 }): Finding[] {
  const findings: Finding[] = [];
  for (const b of blobs) {
    if (b.content.length > MAX_FILE_BYTES || looksBinary(b.content)) {
      stats.skipped += 1;
      continue;
    }
    stats.files += 1;
    findings.push(...scanText(b.name, b.content.toString('utf8')));
  }
  return findings;
}
