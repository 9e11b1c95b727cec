// Streamed tables end to end in the data layer: the first pass (labels, counts, scaler statistics),
// a StreamSource's passes (every row of its split once, shuffled per pass), and Parquet by row group.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { FormatError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { featureMatrix, parseCsv, splitColumns } from '../../src/data/csv.js';
import { openCsvStream } from '../../src/data/csv-stream.js';
import { HashSplit } from '../../src/data/hash-split.js';
import { openParquetStream } from '../../src/data/parquet-stream.js';
import { StandardScaler } from '../../src/data/scaler.js';
import { headerTable } from '../../src/data/stream-rows.js';
import { scanStream } from '../../src/data/stream-scan.js';
import { StreamSource } from '../../src/data/stream-source.js';
import type { TableStream } from '../../src/data/table-stream.js';
import { Sequential } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-stream-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** 3000 rows: id (the row index), x = id / 100, and a class label cycling through a, b, c. */
function csvText(rows = 3000): string {
  const lines = ['id,x,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i},${i / 100},${'abc'[i % 3]}`);
  return lines.join('\n') + '\n';
}

/**
 * Every row a source serves in one pass, batch by batch: [id, x, one-hot…] each. `order` is the
 * training loop's index order of the epoch, which seeds the shuffle buffer.
 */
function pass(source: StreamSource, order: ArrayLike<number> = [], batch = 64): number[][] {
  const f = source.features,
    t = source.targets;
  const x = new Float32Array(batch * f),
    y = new Float32Array(batch * t);
  const rows: number[][] = [];
  for (let start = 0; start < source.size; start += batch) {
    const count = Math.min(batch, source.size - start);
    source.fill(order, start, count, x, y);
    for (let i = 0; i < count; i++) rows.push([...x.subarray(i * f, (i + 1) * f), ...y.subarray(i * t, (i + 1) * t)]);
  }
  return rows;
}

function sources(
  stream: TableStream,
  shuffleBuffer: number,
  seed = 4,
): Record<'train' | 'validation' | 'test', StreamSource> & { labels: unknown } {
  const columns = splitColumns(headerTable(stream), ['label']);
  const split = new HashSplit(seed, 0.2, 0.25);
  const scan = scanStream(stream, { columns, task: 'classification', knownLabels: null, split });
  const make = (which: 'train' | 'validation' | 'test'): StreamSource =>
    new StreamSource(stream, {
      columns,
      task: 'classification',
      labels: scan.labels,
      split,
      which,
      size: scan.counts[which],
      shuffleBuffer: which === 'train' ? shuffleBuffer : 0,
      seed,
    });
  return { train: make('train'), validation: make('validation'), test: make('test'), labels: scan.labels };
}

describe('StreamSource', () => {
  const path = join(dir, 'rows.csv');
  writeFileSync(path, csvText());
  const stream = openCsvStream(path, { chunkBytes: 4096 });

  it('the splits partition the rows by the hash of the row index; labels come from the first pass', () => {
    const s = sources(stream, 500);
    expect(s.labels).toEqual(['a', 'b', 'c']);
    const split = new HashSplit(4, 0.2, 0.25);
    const ids = { train: [] as number[], validation: [] as number[], test: [] as number[] };
    for (const which of ['train', 'validation', 'test'] as const) {
      for (const row of pass(s[which])) {
        expect(split.of(row[0]!)).toBe(which);
        expect(row[1]).toBeCloseTo(row[0]! / 100, 5);
        // One-hot of the label cycling a, b, c.
        expect(row.slice(2)).toEqual([0, 1, 2].map((k) => (k === row[0]! % 3 ? 1 : 0)));
        ids[which].push(row[0]!);
      }
    }
    const all = [...ids.train, ...ids.validation, ...ids.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 3000 }, (_, i) => i));
    // Unshuffled splits keep the file order.
    expect(ids.test).toEqual([...ids.test].sort((a, b) => a - b));
  });

  it('each epoch is a new seeded shuffle of the training rows; the same seed and epoch order repeat it', () => {
    const a = sources(stream, 500).train;
    const rng = new Rng(2);
    const [order1, order2] = [rng.permutation(a.size), rng.permutation(a.size)];
    const first = pass(a, order1).map((r) => r[0]!);
    const second = pass(a, order2).map((r) => r[0]!);
    expect([...first].sort((x, y) => x - y)).toEqual([...second].sort((x, y) => x - y));
    expect(second).not.toEqual(first);
    expect(first).not.toEqual([...first].sort((x, y) => x - y));
    expect(pass(sources(stream, 500).train, order1).map((r) => r[0]!)).toEqual(first);
    expect(pass(sources(stream, 500, 5).train, order1).map((r) => r[0]!)).not.toEqual(first);
  });

  it('the scaler of the first pass equals StandardScaler.fit on the training rows held whole', () => {
    const columns = splitColumns(headerTable(stream), ['label']);
    const split = new HashSplit(4, 0.2, 0.25);
    const scan = scanStream(stream, { columns, task: 'classification', knownLabels: null, split });
    const table = parseCsv(csvText(), 'mem');
    const x = featureMatrix(table, splitColumns(table, ['label']));
    const rows = Uint32Array.from({ length: 3000 }, (_, i) => i).filter((i) => split.of(i) === 'train');
    const held = StandardScaler.fit(x.gatherRows(rows));
    const streamed = StandardScaler.fromStats(scan.features);
    streamed.mean.forEach((m, j) => expect(m).toBeCloseTo(held.mean[j]!, 9));
    streamed.scale.forEach((s, j) => expect(s).toBeCloseTo(held.scale[j]!, 9));
  });

  it('fit on a streamed source: a run resumed from a snapshot after epoch 2 ends with the same weights', () => {
    const make = (): Sequential => {
      const m = Sequential.mlp({
        inputs: 2,
        hidden: [8],
        outputs: 3,
        task: 'classification',
        activation: 'relu',
        seed: 1,
      });
      m.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 0.01 } });
      return m;
    };
    const options = { epochs: 4, batchSize: 50, seed: 3 };
    const whole = make();
    whole.fit(sources(stream, 300).train, null, options);
    const first = make();
    const run = first.start(sources(stream, 300).train, null, options);
    while (run.completedEpochs < 2) run.next();
    const snapshot = run.snapshot();
    const resumed = make();
    resumed.fit(sources(stream, 300).train, null, { ...options, resume: snapshot });
    const weights = (m: Sequential): number[][] => m.network.parameters().map((p) => Array.from(p.value.data));
    expect(weights(resumed)).toEqual(weights(whole));
  });

  it('asks for batches in order', () => {
    const s = sources(stream, 0).test;
    const x = new Float32Array(64 * 2),
      y = new Float32Array(64 * 3);
    s.fill([], 0, 10, x, y);
    expect(() => s.fill([], 30, 10, x, y)).toThrow(
      /serves its \d+ rows in order, batch after batch; asked for rows \[30, 40\) after 10/,
    );
  });

  it('a bad cell anywhere fails the first pass with its file row', () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, csvText().replace('\n2500,25,', '\n2500,2 5,'));
    const s = openCsvStream(bad, { chunkBytes: 4096 });
    expect(() => sources(s, 10)).toThrow(/bad\.csv: row 2502, column 'x': '2 5' is not a finite number/);
  });
});

describe('Parquet streaming', () => {
  const rows = 2500;
  const bytes = parquetWriteBuffer({
    columnData: [
      { name: 'id', data: Array.from({ length: rows }, (_, i) => i), type: 'DOUBLE' },
      { name: 'x', data: Array.from({ length: rows }, (_, i) => i / 100), type: 'DOUBLE' },
      { name: 'label', data: Array.from({ length: rows }, (_, i) => 'abc'[i % 3]!), type: 'STRING' },
    ],
    rowGroupSize: 1000,
  });
  const path = join(dir, 'rows.parquet');
  writeFileSync(path, new Uint8Array(bytes));

  it('yields every row group in order, with the file row numbers', async () => {
    const stream = await openParquetStream(path);
    try {
      expect(stream.header).toEqual(['id', 'x', 'label']);
      const chunks = [...stream.chunks()];
      expect(chunks.map((c) => [c.firstRow, c.table.rowCount])).toEqual([
        [0, 1000],
        [1000, 1000],
        [2000, 500],
      ]);
      const last = chunks[2]!.table;
      expect(last.row(499)).toEqual(['2499', '24.99', 'a']);
      expect(last.rowNumber(499)).toBe(2500);
      // A second pass reads the file again.
      expect([...stream.chunks()].reduce((n, c) => n + c.table.rowCount, 0)).toBe(rows);
    } finally {
      stream.close();
    }
  });

  it('trains the same splits as the CSV of the same rows', async () => {
    const stream = await openParquetStream(path);
    try {
      const csv = join(dir, 'same.csv');
      writeFileSync(csv, csvText(rows));
      const fromParquet = sources(stream, 300).train;
      const fromCsv = sources(openCsvStream(csv), 300).train;
      expect(pass(fromParquet)).toEqual(pass(fromCsv));
    } finally {
      stream.close();
    }
  });

  it('a truncated file and a corrupt row group are format errors', async () => {
    const cut = join(dir, 'cut.parquet');
    writeFileSync(cut, new Uint8Array(bytes).slice(0, 60));
    await expect(openParquetStream(cut)).rejects.toThrow(FormatError);
    await expect(openParquetStream(cut)).rejects.toThrow(/cut\.parquet: unreadable Parquet file/);
    // The footer intact, the data pages of the first row group overwritten.
    const broken = new Uint8Array(bytes);
    broken.fill(0xff, 4, 400);
    const corrupt = join(dir, 'corrupt.parquet');
    writeFileSync(corrupt, broken);
    const stream = await openParquetStream(corrupt);
    try {
      expect(() => [...stream.chunks()]).toThrow(/corrupt\.parquet: unreadable Parquet row group 1 \(rows 1–1000\)/);
    } finally {
      stream.close();
    }
  });
});
