// Writes a file so that readers never see it half written: to a temporary sibling, then rename.

import { randomBytes } from 'node:crypto';
import { rm, writeFile, rename } from 'node:fs/promises';

/**
 * Writes `data` to `path` through `path.<random>.tmp` and an atomic rename (same directory, so
 * the same file system). The temporary file is removed if anything fails.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
