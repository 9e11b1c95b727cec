// A record of the SHA-256 already computed for data files (keyed by absolute path, size and
// modification time), so that a file is hashed once and later loads skip the 47 MB hash.

import { readFile, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic.js';
import { makeDirs } from '../io/out-path.js';

interface StampEntry {
  size: number;
  mtimeMs: number;
  sha256: string;
}

type Stamps = Record<string, StampEntry>;

/** One file whose hash was just computed, to be recorded by `recordHashes`. */
export interface HashedFile {
  path: string;
  sha256: string;
}

/**
 * The SHA-256 recorded for `path` in the stamp file, or null when there is none or the file
 * changed since (different size or modification time). The caller still compares it with the
 * expected hash: a stamp remembers a computation, it does not bless a file.
 */
export async function recordedHash(stampFile: string, path: string): Promise<string | null> {
  const entry = (await readStamps(stampFile))[resolve(path)];
  if (typeof entry?.sha256 !== 'string') return null;
  const info = await stat(path).catch(() => null);
  return info !== null && info.size === entry.size && info.mtimeMs === entry.mtimeMs ? entry.sha256 : null;
}

/**
 * Adds the given hashes to the stamp file (one read-modify-write for all of them, so parallel
 * loads of the four files do not overwrite each other's entries). Written to a temporary file
 * then renamed. Failing to write (read-only home, full disk) only costs a re-hash next time, so
 * it is not an error.
 */
export async function recordHashes(stampFile: string, files: HashedFile[]): Promise<void> {
  if (files.length === 0) return;
  try {
    const stamps = await readStamps(stampFile);
    for (const { path, sha256 } of files) {
      const info = await stat(path);
      stamps[resolve(path)] = { size: info.size, mtimeMs: info.mtimeMs, sha256 };
    }
    await makeDirs(dirname(stampFile));
    await writeFileAtomic(stampFile, JSON.stringify(stamps, null, 1) + '\n');
  } catch {
    // Not recorded: the files are hashed again next time.
  }
}

/** A missing or unreadable stamp file is an empty record: the files just get hashed again. */
async function readStamps(stampFile: string): Promise<Stamps> {
  try {
    const parsed: unknown = JSON.parse(await readFile(stampFile, 'utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Stamps) : {};
  } catch {
    return {};
  }
}
