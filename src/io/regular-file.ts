// Reading only what a file's size justifies: regular files (not a FIFO or a device such as /dev/zero,
// whose reading never ends), up to a size the reader can hold.
import type { Stats } from 'node:fs';
import { type BackpropError, check } from '../core/errors.js';

/**
 * Throws `Kind` unless `stat` is a regular file of at most `maxBytes` bytes, naming `what` (e.g.
 * "data file 'x.csv'") and what the file is instead.
 */
export function checkRegularFile(
  stat: Stats,
  what: string,
  maxBytes: number,
  Kind: new (message: string) => BackpropError,
  why = '',
): void {
  check(stat.isFile(), Kind, () => `${what} is ${fileKind(stat)}, not a regular file`);
  check(
    stat.size <= maxBytes,
    Kind,
    () => `${what} is ${formatBytes(stat.size)}; at most ${formatBytes(maxBytes)} can be read${why ? ` (${why})` : ''}`,
  );
}

/** What a file is, for messages: 'a directory', 'a FIFO (named pipe)', 'a character device', ... */
export function fileKind(stat: Stats): string {
  if (stat.isFile()) return 'a regular file';
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'a special file';
}

/** Bytes in KiB, MiB or GiB with one decimal. */
export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(1)} KiB`;
}
