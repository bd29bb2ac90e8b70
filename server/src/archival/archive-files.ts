import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';

/**
 * Files of the archive store. Every file becomes visible only through a rename of a
 * fully written and fsynced `.tmp-` file, so a crash leaves either nothing or a
 * complete file; `.tmp-` leftovers are removed by the next run (docs/ARCHIVAL.md).
 */
export const TEMP_PREFIX = '.tmp-';

export interface WrittenData {
  recordCount: number;
  bytes: number;
  sha256: string;
  contentSha256: string;
}

export type ReadBack = WrittenData;

/** Writes NDJSON lines, gzip-compressed, to `final` via a temp file; returns counts and hashes. */
export async function writeGzipNdjson(dir: string, fileName: string, batches: AsyncIterable<string[]>): Promise<WrittenData> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${TEMP_PREFIX}${fileName}`);
  const content = createHash('sha256');
  const file = createHash('sha256');
  let recordCount = 0;
  let bytes = 0;
  const source = async function* () {
    for await (const lines of batches) {
      if (lines.length === 0) continue;
      const chunk = Buffer.from(lines.map((l) => `${l}\n`).join(''), 'utf8');
      content.update(chunk);
      recordCount += lines.length;
      yield chunk;
    }
  };
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      file.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(source, createGzip(), tap, createWriteStream(tmp));
  // fsync through a second descriptor (it flushes the file, not the descriptor): a
  // FileHandle lent to a write stream cannot be closed reliably afterwards.
  const fh = await open(tmp, 'r+');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, fileName));
  await fsyncDir(dir);
  return { recordCount, bytes, sha256: file.digest('hex'), contentSha256: content.digest('hex') };
}

/** Reads a data file back: counts lines and hashes both layers; `onLine` sees every line. */
export async function readBack(path: string, onLine?: (line: string) => void): Promise<ReadBack> {
  const file = createHash('sha256');
  const content = createHash('sha256');
  let bytes = 0;
  let recordCount = 0;
  const { raw, lines } = openLines(path);
  raw.on('data', (c: string | Buffer) => {
    const b = typeof c === 'string' ? Buffer.from(c) : c;
    file.update(b);
    bytes += b.length;
  });
  for await (const line of lines) {
    content.update(`${line}\n`, 'utf8');
    recordCount++;
    onLine?.(line);
  }
  return { recordCount, bytes, sha256: file.digest('hex'), contentSha256: content.digest('hex') };
}

/** The lines of a gzip NDJSON file, in order. */
export function readLines(path: string): AsyncIterable<string> {
  return openLines(path).lines;
}

/** `pipe` forwards no errors and closes nothing early: both are done here. */
function openLines(path: string): { raw: Readable; lines: AsyncIterable<string> } {
  const raw = createReadStream(path);
  const gunzip = createGunzip();
  raw.on('error', (e) => gunzip.destroy(e));
  raw.pipe(gunzip);
  const lines = (async function* () {
    try {
      yield* ndjsonLines(gunzip);
    } finally {
      raw.destroy();
      gunzip.destroy();
    }
  })();
  return { raw, lines };
}

async function* ndjsonLines(stream: Readable): AsyncIterable<string> {
  let rest = '';
  for await (const chunk of stream) {
    const text = rest + (chunk as Buffer).toString('utf8');
    const parts = text.split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) yield p;
  }
  // A final line without its newline means the writer never finished it.
  if (rest.length > 0) throw new Error('archive data ends in the middle of a line');
}

/** Writes a small file atomically: temp file, fsync, rename, fsync of the directory. */
export async function writeFileAtomic(dir: string, fileName: string, text: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const tmp = join(dir, `${TEMP_PREFIX}${fileName}`);
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(text, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, join(dir, fileName));
  await fsyncDir(dir);
}

export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    const fh = await open(path, 'r');
    try {
      return await fh.readFile('utf8');
    } finally {
      await fh.close();
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

export async function removeFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** Removes every `.tmp-` file under `root` (call only while holding the archival lease). */
export async function removeTempFiles(root: string): Promise<number> {
  let removed = 0;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.name.startsWith(TEMP_PREFIX)) {
        await removeFile(p);
        removed++;
      }
    }
  };
  await walk(root);
  return removed;
}

async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
