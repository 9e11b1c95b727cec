// A BatchSource over one split of a streamed table: each pass reads the file from the start, keeps
// the rows of its split (by the seeded hash of the row index), and passes them through a seeded
// shuffle buffer, in the manner of tf.data's interleaved read → filter → shuffle → batch pipeline.
import { check, DataError } from '../core/errors.js';
import { Rng } from '../core/random.js';
import type { FloatArray } from '../core/tensor.js';
import type { Task } from '../model/sequential.js';
import { featureMatrix, type SplitColumns } from './csv.js';
import type { HashSplit, SplitName } from './hash-split.js';
import type { Label } from './labels.js';
import { ShuffleBuffer } from './shuffle-buffer.js';
import type { BatchSource } from './source.js';
import { rowSubset, tableTargets } from './stream-rows.js';
import type { ByteProgress, TableChunk, TableStream } from './table-stream.js';

/** Rows held by the shuffle buffer unless told otherwise (tf.data leaves the size to the user; this is a common choice). */
export const DEFAULT_SHUFFLE_BUFFER = 10_000;

/** What a StreamSource serves from its file. */
export interface StreamSourceOptions {
  /** Which columns are features and which targets. */
  columns: SplitColumns;
  /** How targets are encoded (class index → one-hot, labels, numbers). */
  task: Task;
  /** Class labels (classification) or target names (multilabel), from the first pass; else null. */
  labels: Label[] | null;
  /** The seeded hash that assigns each row to train, validation or test. */
  split: HashSplit;
  /** The split this source serves. */
  which: SplitName;
  /** Its rows (counted by the first pass). */
  size: number;
  /** Rows of the shuffle buffer; 0 keeps the file order. */
  shuffleBuffer: number;
  /** Seeds the shuffle buffer, with the training loop's index order of the pass. */
  seed: number;
  /** Hears the bytes read during each pass. */
  onProgress?: ByteProgress;
}

/**
 * Serves the rows of one split in passes. The training loop asks for batches in order: a batch
 * starting at 0 begins a new pass over the file and each later batch continues it, so the rows the
 * loop's index order names are not looked up (the shuffle buffer does the shuffling instead; the
 * order only seeds it). Memory is
 * one file chunk plus the shuffle buffer, whatever the file's size.
 *
 * @example
 * const train = new StreamSource(stream, { columns, task: 'regression', labels: null, split, which: 'train', size, shuffleBuffer: 10_000, seed: 1 });
 * model.fit(train, null, { epochs: 3, batchSize: 32, shuffle: false });
 */
export class StreamSource implements BatchSource {
  readonly size: number;
  readonly features: number;
  readonly targets: number;
  private readonly width: number;
  private pass: Generator<TableChunk, void, undefined> | null = null;
  /** Rows served in the current pass. */
  private position = 0;
  private buffer: ShuffleBuffer | null = null;
  /** Rows ready to serve, `width` values each: [readyAt, readyRows) are left. */
  private ready: Float32Array = new Float32Array(0);
  private readyRows = 0;
  private readyAt = 0;

  /**
   * @param stream the file, read once per pass.
   * @param o the columns, task, split and shuffling (see StreamSourceOptions).
   */
  constructor(
    readonly stream: TableStream,
    private readonly o: StreamSourceOptions,
  ) {
    check(
      Number.isInteger(o.shuffleBuffer) && o.shuffleBuffer >= 0,
      DataError,
      () => `StreamSource: the shuffle buffer must be a non-negative integer of rows, got ${o.shuffleBuffer}`,
    );
    this.size = o.size;
    this.features = o.columns.featureIndex.length;
    this.targets = o.task === 'classification' ? o.labels!.length : o.columns.targetIndex.length;
    this.width = this.features + this.targets;
  }

  fill(indices: ArrayLike<number>, start: number, count: number, x: FloatArray, y: FloatArray): void {
    if (start === 0) this.beginPass(indices);
    check(
      start === this.position && start + count <= this.size,
      DataError,
      () =>
        `${this.stream.source}: a streamed source serves its ${this.size} rows in order, batch after batch; asked for rows [${start}, ${start + count}) after ${this.position}`,
    );
    const f = this.features,
      t = this.targets,
      w = this.width;
    for (let i = 0; i < count; i++) {
      if (this.readyAt === this.readyRows) this.refill();
      const o = this.readyAt * w;
      for (let j = 0; j < f; j++) x[i * f + j] = this.ready[o + j]!;
      for (let j = 0; j < t; j++) y[i * t + j] = this.ready[o + f + j]!;
      this.readyAt++;
    }
    this.position += count;
    if (this.position === this.size) this.endPass();
  }

  /**
   * The buffer's generator is seeded from the seed and the first entries of the loop's index order,
   * which the training loop reshuffles every epoch from its own seeded generator: each epoch gets
   * its own shuffle, and a run resumed from a checkpoint repeats the uninterrupted one.
   */
  private beginPass(indices: ArrayLike<number>): void {
    this.endPass();
    let seed = this.o.seed | 0;
    for (let k = 0; k < Math.min(4, indices.length); k++)
      seed = (Math.imul(seed ^ indices[k]!, 0x9e3779b1) + k + 1) | 0;
    this.buffer =
      this.o.shuffleBuffer > 0
        ? new ShuffleBuffer(Math.min(this.o.shuffleBuffer, this.size), this.width, new Rng(seed))
        : null;
    this.pass = this.stream.chunks(this.o.onProgress);
    this.position = 0;
    this.readyAt = this.readyRows = 0;
  }

  private endPass(): void {
    this.pass?.return(undefined);
    this.pass = null;
    this.buffer = null;
  }

  /** Reads chunks until some rows are ready: the split's rows of a chunk, through the shuffle buffer. */
  private refill(): void {
    const w = this.width;
    this.readyAt = this.readyRows = 0;
    while (this.readyRows === 0) {
      const next = this.pass!.next();
      if (next.done) {
        const buffer = this.buffer;
        if (buffer && buffer.size > 0) {
          this.reserve(buffer.size);
          while (buffer.pop(this.ready, this.readyRows * w)) this.readyRows++;
          return;
        }
        throw new DataError(
          `${this.stream.source}: the file ended after ${this.position} of its ${this.size} ${this.o.which} rows; was it changed while being read?`,
        );
      }
      const block = this.rowsOf(next.value);
      if (block === null) continue;
      const { data, rows } = block;
      if (this.buffer === null) {
        this.ready = data;
        this.readyRows = rows;
        continue;
      }
      this.reserve(rows);
      for (let i = 0; i < rows; i++)
        if (this.buffer.push(data, i * w, this.ready, this.readyRows * w)) this.readyRows++;
    }
  }

  private reserve(rows: number): void {
    if (this.ready.length < rows * this.width) this.ready = new Float32Array(rows * this.width);
  }

  /** The chunk's rows of this split as [rows, features + targets], or null when it has none. */
  private rowsOf({ table, firstRow }: TableChunk): { data: Float32Array; rows: number } | null {
    const mine = new Uint32Array(table.rowCount);
    let m = 0;
    for (let r = 0; r < table.rowCount; r++) if (this.o.split.of(firstRow + r) === this.o.which) mine[m++] = r;
    if (m === 0) return null;
    const rows = rowSubset(table, mine, m);
    const x = featureMatrix(rows, this.o.columns).data;
    const y = tableTargets(rows, this.o.columns, this.o.task, this.o.labels).data;
    const f = this.features,
      t = this.targets,
      w = this.width;
    const data = new Float32Array(m * w);
    for (let i = 0; i < m; i++) {
      data.set(x.subarray(i * f, (i + 1) * f), i * w);
      data.set(y.subarray(i * t, (i + 1) * t), i * w + f);
    }
    return { data, rows: m };
  }
}
