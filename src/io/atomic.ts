// Atomic writes: a file appears under its name complete and flushed to disk, or not at all.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { FileError } from '../core/errors.js';

/** `.NAME.PID-HEX.tmp`: hidden, and naming the file it will become and the process writing it. */
const TEMP_NAME = /^\.(.+)\.(\d+)-[0-9a-f]{8}\.tmp$/;

/** The temporary sibling through which `file` is written (same directory, so the rename is atomic). */
export function tempPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/** The file a temporary name (from tempPath) stands for and the process that wrote it, or null. */
export function parseTempName(name: string): { target: string; pid: number } | null {
  const m = TEMP_NAME.exec(name);
  return m ? { target: m[1]!, pid: Number(m[2]) } : null;
}

/** True while process `pid` runs on this machine: its temporary files may still be in use. */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `file` (which must not exist) with `data` and flushes it to disk before returning. */
export async function writeSynced(file: string, data: Uint8Array | string): Promise<void> {
  const handle = await fs.open(file, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes a directory's entries, so that a rename inside it survives a power cut. Some platforms
 * and file systems cannot open a directory for this; there the rename is as durable as they allow.
 */
export async function syncDir(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch {
    // Not supported here (EISDIR, EPERM, EINVAL): nothing more can be done.
  } finally {
    await handle?.close();
  }
}

/**
 * Writes `data` to `file` through a flushed temporary sibling and one rename, so that readers see
 * the old file or the new one, never a part. Failures are FileErrors naming `file` (never the
 * temporary name).
 *
 * @example
 * await writeFileAtomic('predictions.csv', 'label\ncat\n');
 */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = tempPath(file);
  try {
    await writeSynced(tmp, data);
    await fs.rename(tmp, file);
    await syncDir(path.dirname(file));
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw fileError(`cannot write '${file}'`, e);
  }
}

/** `context: reason` as a FileError, the reason in words for a file-system error code. */
export function fileError(context: string, e: unknown): Error {
  if (e instanceof FileError) return e;
  const code = (e as NodeJS.ErrnoException | null)?.code;
  if (typeof code !== 'string') return e instanceof Error ? e : new Error(String(e));
  return new FileError(`${context}: ${ERRNO_WORDS[code] ?? `file-system error ${code}`}`);
}

const ERRNO_WORDS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOENT: 'no such file or directory',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
  EEXIST: 'it already exists',
  EBUSY: 'it is in use (a mount point or the current directory?)',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EIO: 'input/output error',
  EXDEV: 'it is on another file system',
  EMFILE: 'too many open files',
  ENOTEMPTY: 'the directory is not empty',
};
