import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import fc from 'fast-check';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, describe, expect, it } from 'vitest';
import { npyBytes, zipBytes } from '../../scripts/npy-files.js';
import { DataError, FormatError } from '../../src/core/errors.js';
import { featureMatrix, labelColumn, splitColumns } from '../../src/data/csv.js';
import { parseNpy, parseNpz } from '../../src/data/npy.js';
import { readTableFile, tableFormat } from '../../src/data/table-file.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-tables-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(name: string, bytes: Uint8Array | ArrayBuffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes);
  return path;
}
const rows = (t: { rowCount: number; row(r: number): string[] }): string[][] =>
  Array.from({ length: t.rowCount }, (_, r) => t.row(r));

describe('tableFormat', () => {
  it('goes by the extension, CSV otherwise', () => {
    expect(['a.parquet', 'a.ARROW', 'a.feather', 'a.ipc', 'a.npy', 'a.npz', 'a.csv', 'a.txt'].map(tableFormat)).toEqual(
      ['parquet', 'arrow', 'arrow', 'arrow', 'npy', 'npz', 'csv', 'csv'],
    );
  });
});

describe('Parquet', () => {
  const columnData = [
    { name: 'x', data: [1.5, -2, 3.25], type: 'DOUBLE' as const },
    { name: 'n', data: [1n, 2n, 3n], type: 'INT64' as const },
    { name: 'species', data: ['setosa', 'virginica', 'setosa'], type: 'STRING' as const },
  ];

  for (const codec of ['UNCOMPRESSED', 'SNAPPY', 'GZIP'] as const) {
    it(`reads a ${codec} file as the CSV path's table`, async () => {
      const bytes = parquetWriteBuffer({ columnData, codec, compressors: { GZIP: (b: Uint8Array) => gzipSync(b) } });
      const { table, targets } = await readTableFile(file(`t-${codec}.parquet`, bytes));
      expect(targets).toBeNull();
      expect(table.header).toEqual(['x', 'n', 'species']);
      expect(rows(table)).toEqual([
        ['1.5', '1', 'setosa'],
        ['-2', '2', 'virginica'],
        ['3.25', '3', 'setosa'],
      ]);
      const columns = splitColumns(table, ['species']);
      expect([...featureMatrix(table, columns).data]).toEqual([1.5, 1, -2, 2, 3.25, 3]);
      expect(labelColumn(table, columns)).toEqual(['setosa', 'virginica', 'setosa']);
    });
  }

  it('rejects a missing value with its row and column, and a truncated file', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'a', data: [1, null, 3], type: 'DOUBLE' },
        { name: 'y', data: [0, 1, 0], type: 'DOUBLE' },
      ],
    });
    const { table } = await readTableFile(file('nulls.parquet', bytes));
    expect(() => featureMatrix(table, splitColumns(table, ['y']))).toThrow(
      /nulls\.parquet: row 2, column 'a': empty value/,
    );
    const cut = file('cut.parquet', new Uint8Array(bytes).subarray(0, 40));
    await expect(readTableFile(cut)).rejects.toThrow(FormatError);
    await expect(readTableFile(cut)).rejects.toThrow(/cut\.parquet: unreadable Parquet file/);
  });
});

describe('Arrow IPC / Feather', () => {
  const table = tableFromArrays({
    f: Float32Array.of(0.5, 1.5, -1),
    i: Int32Array.of(4, 5, 6),
    label: ['a', 'b', 'a'],
  });

  for (const format of ['file', 'stream'] as const) {
    it(`reads the ${format} format`, async () => {
      const path = file(`t-${format}.${format === 'file' ? 'feather' : 'arrow'}`, tableToIPC(table, format));
      const { table: t } = await readTableFile(path);
      expect(t.header).toEqual(['f', 'i', 'label']);
      expect(rows(t)).toEqual([
        ['0.5', '4', 'a'],
        ['1.5', '5', 'b'],
        ['-1', '6', 'a'],
      ]);
    });
  }

  it('keeps nulls as missing values and rejects a corrupt file', async () => {
    const withNull = tableFromArrays({ a: [1, null, 3] as (number | null)[], y: Float64Array.of(0, 1, 0) });
    const { table: t } = await readTableFile(file('null.arrow', tableToIPC(withNull, 'file')));
    expect(t.row(1)[0]).toBe('');
    const bytes = tableToIPC(table, 'file');
    const cut = file('cut.arrow', bytes.subarray(0, bytes.length / 2));
    await expect(readTableFile(cut)).rejects.toThrow(/cut\.arrow: unreadable Arrow IPC \/ Feather file/);
  });
});

describe('NumPy .npy', () => {
  it('reads the header and data, little- and big-endian, C and Fortran order', () => {
    expect(parseNpy(npyBytes([1, 2, 3, 4, 5, 6], [2, 3]), 'a.npy')).toEqual({
      shape: [2, 3],
      data: Float64Array.of(1, 2, 3, 4, 5, 6),
    });
    expect(parseNpy(npyBytes([1.5, -2], [2], '>f4'), 'b.npy').data).toEqual(Float64Array.of(1.5, -2));
    // Fortran order stores columns first: [[1, 2, 3], [4, 5, 6]] is 1 4 2 5 3 6.
    expect(parseNpy(npyBytes([1, 4, 2, 5, 3, 6], [2, 3], '<i4', true), 'c.npy').data).toEqual(
      Float64Array.of(1, 2, 3, 4, 5, 6),
    );
  });

  it('round-trips any 2-D float64 array (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.double({ noNaN: true }), { minLength: 30, maxLength: 30 }),
        (m, n, pool) => {
          const values = pool.slice(0, m * n);
          const a = parseNpy(npyBytes(values, [m, n]), 'p.npy');
          expect(a.shape).toEqual([m, n]);
          expect([...a.data]).toEqual(values);
        },
      ),
      { seed: 3, numRuns: 100 },
    );
  });

  it('takes a 2-D array as a table with the last column the target', async () => {
    const { table, targets } = await readTableFile(file('t.npy', npyBytes([1, 2, 0, 3, 4, 1], [2, 3])));
    expect(table.header).toEqual(['c0', 'c1', 'c2']);
    expect(targets).toEqual(['c2']);
    expect(rows(table)).toEqual([
      ['1', '2', '0'],
      ['3', '4', '1'],
    ]);
    await expect(readTableFile(file('v.npy', npyBytes([1, 2], [2])))).rejects.toThrow(
      /must be a 2-D array \[rows, columns\].*got shape \(2\)/,
    );
  });

  it('rejects truncated and unsupported files by name, never with another error (fast-check)', () => {
    const good = npyBytes([1, 2, 3, 4], [2, 2]);
    expect(() => parseNpy(good.subarray(0, good.length - 1), 'cut.npy')).toThrow(
      /cut\.npy: truncated \.npy data \(4 values of 8 bytes need 32 bytes, the file has 31\)/,
    );
    expect(() => parseNpy(new Uint8Array(4), 'zero.npy')).toThrow(/zero\.npy: not a \.npy file/);
    const header = new TextEncoder().encode("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }\n");
    const object = new Uint8Array(10 + header.length);
    object.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length, 0]);
    object.set(header, 10);
    expect(() => parseNpy(object, 'obj.npy')).toThrow(/dtype '\|O' is not supported/);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const bytes = Uint8Array.from(good);
        bytes[at % bytes.length] = byte;
        try {
          parseNpy(bytes, 'x.npy');
        } catch (e) {
          expect(e).toBeInstanceOf(FormatError);
        }
      }),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('NumPy .npz', () => {
  const x = npyBytes([1, 2, 3, 4, 5, 6], [3, 2]);
  const y = npyBytes([0, 1, 1], [3], '<i4');

  for (const deflate of [false, true]) {
    it(`reads x and y from a ${deflate ? 'deflated' : 'stored'} archive`, async () => {
      const path = file(`xy-${deflate}.npz`, zipBytes({ 'x.npy': x, 'y.npy': y }, deflate));
      const { table, targets } = await readTableFile(path);
      expect(table.header).toEqual(['x0', 'x1', 'y']);
      expect(targets).toEqual(['y']);
      expect(rows(table)).toEqual([
        ['1', '2', '0'],
        ['3', '4', '1'],
        ['5', '6', '1'],
      ]);
    });
  }

  it('takes other array names with --features and --target, and names what is missing', async () => {
    const path = file('named.npz', zipBytes({ 'pixels.npy': x, 'digit.npy': y, 'w.npy': npyBytes([1, 2], [2]) }, true));
    const { table, targets } = await readTableFile(path, { features: 'pixels', target: 'digit' });
    expect(table.header).toEqual(['pixels0', 'pixels1', 'digit']);
    expect(targets).toEqual(['digit']);
    await expect(readTableFile(path)).rejects.toThrow(
      /named\.npz: no array 'x' \(arrays: pixels, digit, w\); name the features with --features NAME/,
    );
    await expect(readTableFile(path, { features: 'pixels', target: 'w' })).rejects.toThrow(
      /target 'w' has shape \(2\); it needs 3 rows like 'pixels'/,
    );
  });

  it('rejects a truncated archive', () => {
    const bytes = zipBytes({ 'x.npy': x }, true);
    expect(() => parseNpz(bytes.subarray(0, bytes.length - 10), 'cut.npz')).toThrow(/cut\.npz: not a zip archive/);
  });

  const python = '/usr/bin/python3';
  const hasNumpy =
    existsSync(python) &&
    (() => {
      try {
        execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();

  it('reads what numpy.savez_compressed and numpy.save write', async (ctx) => {
    if (!hasNumpy) ctx.skip('numpy is not installed');
    const npz = join(dir, 'np.npz'),
      npy = join(dir, 'np.npy');
    execFileSync(python, [
      '-c',
      [
        'import numpy as np, sys',
        'x = np.arange(12, dtype=np.float32).reshape(4, 3) / 4',
        "y = np.array(['cat', 'dog', 'cat', 'bird'])",
        'np.savez_compressed(sys.argv[1], x=x, y=y)',
        'np.save(sys.argv[2], np.asfortranarray(np.array([[1, 2], [3, 4]], dtype=np.int64)))',
      ].join('\n'),
      npz,
      npy,
    ]);
    const { table, targets } = await readTableFile(npz);
    expect(targets).toEqual(['y']);
    expect(rows(table)).toEqual([
      ['0', '0.25', '0.5', 'cat'],
      ['0.75', '1', '1.25', 'dog'],
      ['1.5', '1.75', '2', 'cat'],
      ['2.25', '2.5', '2.75', 'bird'],
    ]);
    expect(parseNpy(readFileSync(npy), 'np.npy')).toEqual({ shape: [2, 2], data: Float64Array.of(1, 2, 3, 4) });
  });
});

describe('columnTable errors', () => {
  it('rejects an empty table', async () => {
    const path = file('empty.parquet', parquetWriteBuffer({ columnData: [{ name: 'a', data: [], type: 'DOUBLE' }] }));
    await expect(readTableFile(path)).rejects.toThrow(DataError);
    await expect(readTableFile(path)).rejects.toThrow(/empty\.parquet: the file has columns but no rows/);
  });
});
