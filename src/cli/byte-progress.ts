// Progress of a pass over a streamed file, by bytes read: a line rewritten in place on a terminal,
// a line per tenth of the file otherwise (logs stay short).
import type { ByteProgress } from '../node.js';
import type { CliStream } from './io.js';

const MIB = 2 ** 20;

/** `reading big.csv (first pass): 45% (315 of 700 MiB)`; prints nothing for a file read in one chunk. */
export function byteProgress(stream: CliStream, label: string): ByteProgress {
  let shown = -1;
  return (read, total) => {
    const percent = total === 0 ? 100 : Math.floor((100 * read) / total);
    const step = stream.isTTY ? percent : Math.floor(percent / 10) * 10;
    if (step === shown || (shown < 0 && read >= total)) return;
    shown = step;
    const line = `${label}: ${step}% (${Math.round(read / MIB)} of ${Math.round(total / MIB)} MiB)`;
    if (stream.isTTY) stream.write(`\r${line}${read >= total ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}
