// `backprop data fetch`: downloads an image data set into the cache with a progress bar.
import cliProgress from 'cli-progress';
import { Command } from 'commander';
import { type DownloadProgress, downloadDataset } from '../node.js';
import type { CliIo } from './io.js';
import { IMAGE_DATASETS } from './train-data.js';

export function dataCommand(io: CliIo, setExit: (code: number) => void): Command {
  const data = new Command('data').description('image data sets (fashion-mnist, mnist)');
  data
    .command('fetch')
    .description('download fashion-mnist or mnist (four IDX .gz files, checked) into the cache')
    .argument('<name>', IMAGE_DATASETS.join(' | '))
    .option('--base-url <url>', "where the .gz files are published (default: the data set's own mirror)")
    .option('--cache-dir <dir>', 'cache root (default ~/.cache/backprop); files go to <dir>/<name>')
    .option('--json', 'print one JSON object on stdout', false)
    .action(async (name: string, o: { baseUrl?: string; cacheDir?: string; json: boolean }) => {
      const progress = new FetchProgress(io);
      try {
        const result = await downloadDataset(name, {
          baseUrl: o.baseUrl,
          cacheDir: o.cacheDir,
          onProgress: (p) => progress.update(p),
        });
        progress.finish();
        if (o.json) io.stdout.write(JSON.stringify(result) + '\n');
        else for (const f of result.files) io.stdout.write(`${f.status.padEnd(10)} ${f.path}\n`);
        setExit(0);
      } finally {
        progress.abandon();
      }
    });
  return data;
}

/** A bar per file on a terminal; a line per finished file otherwise. */
class FetchProgress {
  private bar: cliProgress.SingleBar | null = null;
  private file = '';
  private last: DownloadProgress | null = null;

  constructor(private readonly io: CliIo) {}

  update(p: DownloadProgress): void {
    if (p.file !== this.file) {
      this.finishFile();
      this.file = p.file;
      if (this.io.stderr.isTTY) {
        this.bar = new cliProgress.SingleBar(
          {
            stream: process.stderr,
            format: `${p.file} {bar} {percentage}% {value}/{total} bytes`,
            barsize: 30,
            clearOnComplete: false,
          },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(p.total ?? 0, 0);
      }
    }
    this.last = p;
    if (this.bar) {
      if (p.total !== null) this.bar.setTotal(p.total);
      this.bar.update(p.received);
    }
  }

  private finishFile(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    } else if (this.last) {
      this.io.stderr.write(`downloaded ${this.last.file} (${this.last.received} bytes)\n`);
    }
    this.last = null;
  }

  /** After success: closes the last file's bar or line. */
  finish(): void {
    this.finishFile();
    this.file = '';
  }

  /** After a failure (or after finish): stops a bar without claiming the file arrived. */
  abandon(): void {
    this.bar?.stop();
    this.bar = null;
    this.last = null;
  }
}
