// Writes a CSV file (default data/iris.csv) in the other table formats backprop reads, for trying
// them: OUT/<name>.parquet (snappy), OUT/<name>.arrow (Arrow IPC file = Feather v2) and
// OUT/<name>.npz (x: the numeric feature columns as float64 [rows, features]; y: the last column,
// numeric or text).
//
//   npx tsx scripts/make-table-files.ts [--csv data/iris.csv] [--out /tmp/tables]
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { readCsvFile } from '../src/node.js';

const { values } = parseArgs({ options: { csv: { type: 'string', default: 'data/iris.csv' }, out: { type: 'string', default: '/tmp/tables' } } });
const table = readCsvFile(values.csv!);
const name = basename(values.csv!, '.csv');
const cells = table.header.map((_, k) => Array.from({ length: table.rowCount }, (_, r) => table.row(r)[k]!.trim()));
const numeric = cells.map((c) => c.every((v) => v !== '' && Number.isFinite(Number(v))));
mkdirSync(values.out!, { recursive: true });

const parquet = parquetWriteBuffer({
  columnData: table.header.map((h, k) => (numeric[k] ? { name: h, data: cells[k]!.map(Number), type: 'DOUBLE' as const } : { name: h, data: cells[k]!, type: 'STRING' as const })),
});
writeFileSync(join(values.out!, `${name}.parquet`), new Uint8Array(parquet));
writeFileSync(join(values.out!, `${name}.arrow`), tableToIPC(tableFromArrays(Object.fromEntries(table.header.map((h, k) => [h, numeric[k] ? Float64Array.from(cells[k]!, Number) : cells[k]!]))), 'file'));

/** A .npy (format 1.0) of float64 values or of fixed-width Unicode text. */
function npy(values: (number | string)[], shape: number[]): Uint8Array {
  const text = typeof values[0] === 'string';
  const width = text ? Math.max(...values.map((v) => String(v).length)) : 0;
  let header = `{'descr': '${text ? `<U${width}` : '<f8'}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const item = text ? 4 * width : 8;
  const out = new Uint8Array(10 + header.length + values.length * item);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => {
    if (!text) view.setFloat64(i * 8, v as number, true);
    else [...String(v)].forEach((ch, c) => view.setUint32(i * item + 4 * c, ch.codePointAt(0)!, true));
  });
  return out;
}

/** A zip of deflated members (CRC-32 from node:zlib's crc32 where available). */
async function zip(members: Record<string, Uint8Array>): Promise<Uint8Array> {
  const zlib = await import('node:zlib');
  const crc = (b: Uint8Array): number => ('crc32' in zlib ? (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(b) : 0);
  const parts: Uint8Array[] = [], central: Uint8Array[] = [];
  let offset = 0;
  for (const [file, content] of Object.entries(members)) {
    const n = new TextEncoder().encode(file), data = deflateRawSync(content);
    const local = new Uint8Array(30 + n.length), c = new Uint8Array(46 + n.length);
    const lv = new DataView(local.buffer), cv = new DataView(c.buffer);
    lv.setUint32(0, 0x04034b50, true); lv.setUint16(4, 20, true); lv.setUint16(8, 8, true); lv.setUint32(14, crc(content), true);
    lv.setUint32(18, data.length, true); lv.setUint32(22, content.length, true); lv.setUint16(26, n.length, true); local.set(n, 30);
    cv.setUint32(0, 0x02014b50, true); cv.setUint16(4, 20, true); cv.setUint16(6, 20, true); cv.setUint16(10, 8, true); cv.setUint32(16, crc(content), true);
    cv.setUint32(20, data.length, true); cv.setUint32(24, content.length, true); cv.setUint16(28, n.length, true); cv.setUint32(42, offset, true); c.set(n, 46);
    parts.push(local, data);
    central.push(c);
    offset += local.length + data.length;
  }
  const size = central.reduce((s, c) => s + c.length, 0);
  const end = new Uint8Array(22), ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); ev.setUint16(8, central.length, true); ev.setUint16(10, central.length, true); ev.setUint32(12, size, true); ev.setUint32(16, offset, true);
  return Buffer.concat([...parts, ...central, end]);
}

const features = table.header.map((_, k) => k).filter((k) => k < table.header.length - 1 && numeric[k]);
const target = table.header.length - 1;
const x = Array.from({ length: table.rowCount * features.length }, (_, i) => Number(cells[features[i % features.length]!]![Math.floor(i / features.length)]));
const y = numeric[target] ? cells[target]!.map(Number) : cells[target]!;
writeFileSync(join(values.out!, `${name}.npz`), await zip({ 'x.npy': npy(x, [table.rowCount, features.length]), 'y.npy': npy(y, [table.rowCount]) }));
console.log(`wrote ${['parquet', 'arrow', 'npz'].map((e) => join(values.out!, `${name}.${e}`)).join(', ')}`);
