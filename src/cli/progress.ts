// Training progress on stderr: a bar per epoch with a loss sparkline on a terminal, plain lines otherwise.
import cliProgress from 'cli-progress';
import { type Callback, type EpochLogs, sparkline } from '../node.js';
import { epochLine, formatNumber } from './format.js';
import type { CliStream } from './io.js';

/** Loss of every finished epoch, then the running mean of the current one, as block characters. */
const SPARK_WIDTH = 24;

export function progressCallback(stream: CliStream, epochs: number, batchesPerEpoch: number): Callback {
  return stream.isTTY ? new BarProgress(stream, epochs, batchesPerEpoch) : new LineProgress(stream, epochs);
}

class LineProgress implements Callback {
  constructor(
    private readonly stream: CliStream,
    private readonly epochs: number,
  ) {}

  onEpochEnd(logs: EpochLogs): void {
    this.stream.write(epochLine(logs, this.epochs) + '\n');
  }
}

class BarProgress implements Callback {
  private bar: cliProgress.SingleBar | null = null;
  private readonly losses: number[] = [];
  private total = 0;
  private seen = 0;

  constructor(
    private readonly stream: CliStream,
    private readonly epochs: number,
    private readonly batches: number,
  ) {}

  onEpochBegin(epoch: number): void {
    this.total = 0;
    this.seen = 0;
    this.bar = new cliProgress.SingleBar(
      {
        // cli-progress writes through the stream's write() and ANSI cursor codes; ours is a plain writer.
        stream: streamAdapter(this.stream),
        format: `epoch ${epoch}/${this.epochs} {bar} {value}/{total}  loss {loss}  {spark}`,
        barsize: 24,
        hideCursor: false,
        clearOnComplete: false,
        fps: 10,
        etaBuffer: 20,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(this.batches, 0, {
      loss: '…',
      spark: sparkline(this.losses, Math.min(SPARK_WIDTH, Math.max(1, this.losses.length))),
    });
  }

  onBatchEnd(_batch: number, logs: { loss: number; size: number }): void {
    this.total += logs.loss * logs.size;
    this.seen += logs.size;
    const running = this.total / this.seen;
    const series = [...this.losses, running];
    this.bar?.increment(1, {
      loss: formatNumber(running),
      spark: sparkline(series, Math.min(SPARK_WIDTH, series.length)),
    });
  }

  onEpochEnd(logs: EpochLogs): void {
    this.losses.push(logs.loss);
    const val = Object.entries(logs)
      .filter(([k]) => k.startsWith('val_'))
      .map(([k, v]) => `${k} ${formatNumber(v)}`)
      .join('  ');
    this.bar?.update(this.batches, {
      loss: formatNumber(logs.loss) + (val ? `  ${val}` : '') + `  ${logs.seconds.toFixed(1)}s`,
      spark: sparkline(this.losses, Math.min(SPARK_WIDTH, this.losses.length)),
    });
    this.bar?.stop();
    this.bar = null;
  }

  onTrainEnd(): void {
    this.bar?.stop();
    this.bar = null;
  }
}

function streamAdapter(stream: CliStream): NodeJS.WritableStream {
  const adapter = {
    isTTY: true,
    columns: stream.columns ?? 100,
    write: (chunk: string): boolean => {
      stream.write(chunk);
      return true;
    },
    on: () => adapter,
    once: () => adapter,
    removeListener: () => adapter,
  };
  return adapter as unknown as NodeJS.WritableStream;
}
