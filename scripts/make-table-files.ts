// Writes a CSV file (default data/iris.csv) in the other table formats backprop reads, for trying
// them: OUT/<name>.parquet (snappy), OUT/<name>.arrow (Arrow IPC file = Feather v2) and
// OUT/<name>.npz (x: the numeric feature columns as float64 [rows, features]; y: the last column,
// numeric or text).
//
//   npx tsx scripts/make-table-files.ts [--csv data/iris.csv] [--out /tmp/tables]
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readCsvFile } from '../src/node.js';
import { npyBytes, zipBytes } from './npy-files.js';

const { values } = parseArgs({
  options: { csv: { type: 'string', default: 'data/iris.csv' }, out: { type: 'string', default: '/tmp/tables' } },
});
const table = readCsvFile(values.csv!);
const name = basename(values.csv!, '.csv');
const cells = table.header.map((_, k) => Array.from({ length: table.rowCount }, (_, r) => table.row(r)[k]!.trim()));
const numeric = cells.map((c) => c.every((v) => v !== '' && Number.isFinite(Number(v))));
mkdirSync(values.out!, { recursive: true });

const parquet = parquetWriteBuffer({
  columnData: table.header.map((h, k) =>
    numeric[k]
      ? { name: h, data: cells[k]!.map(Number), type: 'DOUBLE' as const }
      : { name: h, data: cells[k]!, type: 'STRING' as const },
  ),
});
writeFileSync(join(values.out!, `${name}.parquet`), new Uint8Array(parquet));
writeFileSync(
  join(values.out!, `${name}.arrow`),
  tableToIPC(
    tableFromArrays(
      Object.fromEntries(
        table.header.map((h, k) => [h, numeric[k] ? Float64Array.from(cells[k]!, Number) : cells[k]!]),
      ),
    ),
    'file',
  ),
);

const features = table.header.map((_, k) => k).filter((k) => k < table.header.length - 1 && numeric[k]);
const target = table.header.length - 1;
const x = Array.from({ length: table.rowCount * features.length }, (_, i) =>
  Number(cells[features[i % features.length]!]![Math.floor(i / features.length)]),
);
const y = numeric[target] ? cells[target]!.map(Number) : cells[target]!;
const yBytes = numeric[target]
  ? npyBytes(y as number[], [table.rowCount])
  : npyBytes(y as string[], [table.rowCount], '<U');
writeFileSync(
  join(values.out!, `${name}.npz`),
  zipBytes({ 'x.npy': npyBytes(x, [table.rowCount, features.length]), 'y.npy': yBytes }, true),
);
console.log(`wrote ${['parquet', 'arrow', 'npz'].map((e) => join(values.out!, `${name}.${e}`)).join(', ')}`);
