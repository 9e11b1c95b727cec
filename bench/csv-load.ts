// Measures CSV loading at 50 000 to 400 000 rows (time and memory should grow linearly).
// Usage: npx tsx bench/csv-load.ts
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { featureMatrix, readCsvFile, splitColumns } from '../src/data/csv.js';
import { Rng } from '../src/index.js';

const dir = mkdtempSync(path.join(tmpdir(), 'backprop-csv-'));
const features = 20;
console.log('| rows | file MB | load s | µs / row | heap + external MB after load |');
console.log('|---|---|---|---|---|');
for (const rows of [50_000, 100_000, 200_000, 400_000]) {
  const rng = new Rng(rows);
  const header = [...Array.from({ length: features }, (_, j) => `x${j}`), 'label'].join(',');
  const lines = [header];
  for (let r = 0; r < rows; r++) {
    lines.push([...Array.from({ length: features }, () => rng.normal().toFixed(5)), String(rng.int(10))].join(','));
  }
  const file = path.join(dir, `rows-${rows}.csv`);
  writeFileSync(file, lines.join('\n'));
  lines.length = 0;
  globalThis.gc?.();
  const started = performance.now();
  const table = readCsvFile(file);
  const x = featureMatrix(table, splitColumns(table));
  const seconds = (performance.now() - started) / 1000;
  const mem = process.memoryUsage();
  const size = (mem.heapUsed + mem.external) / 2 ** 20;
  console.log(
    `| ${rows.toLocaleString('en-US')} | ${(statSync(file).size / 2 ** 20).toFixed(1)} | ${seconds.toFixed(2)} | ${((seconds * 1e6) / rows).toFixed(2)} | ${size.toFixed(0)} |`,
  );
  void x;
}
rmSync(dir, { recursive: true, force: true });
