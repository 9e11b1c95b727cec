// NumPy's .npy arrays (format versions 1–3) and .npz archives of them (a zip, stored or deflated),
// read without NumPy: numeric arrays of any byte order, booleans and fixed-width Unicode text.
import { inflateRawSync } from 'node:zlib';
import { check, FormatError } from '../core/errors.js';

/** An array read from a .npy file. */
export interface NpyArray {
  /** Dimensions, outermost first (C order). */
  shape: number[];
  /** Values in C (row-major) order; text arrays give strings. */
  data: Float64Array | string[];
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/**
 * Parses one .npy file: magic, version, header length, the header dict ({'descr': '<f4',
 * 'fortran_order': False, 'shape': (m, n)}), then the data. Numbers are read as float64 (an integer
 * beyond 2^53 is an error, not rounded); Fortran-ordered arrays are returned in C order.
 */
export function parseNpy(bytes: Uint8Array, source: string): NpyArray {
  check(
    bytes.length >= 10 && MAGIC.every((b, i) => bytes[i] === b),
    FormatError,
    () => `${source}: not a .npy file (no \\x93NUMPY magic)`,
  );
  const major = bytes[6]!;
  check(
    major >= 1 && major <= 3,
    FormatError,
    () => `${source}: .npy format version ${major}.${bytes[7]} is not supported`,
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const wide = major >= 2;
  check(bytes.length >= (wide ? 12 : 10), FormatError, () => `${source}: truncated .npy header`);
  const headerLength = wide ? view.getUint32(8, true) : view.getUint16(8, true);
  const start = (wide ? 12 : 10) + headerLength;
  check(
    start <= bytes.length,
    FormatError,
    () => `${source}: truncated .npy header (${headerLength} bytes announced, ${bytes.length} in the file)`,
  );
  const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(wide ? 12 : 10, start));
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  check(
    descr !== undefined && fortran !== undefined && shapeText !== undefined,
    FormatError,
    () => `${source}: .npy header without descr, fortran_order and shape: ${header.trim()}`,
  );
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  check(
    shape.every((d) => Number.isInteger(d) && d >= 0),
    FormatError,
    () => `${source}: bad shape (${shapeText}) in the .npy header`,
  );
  const count = shape.reduce((a, b) => a * b, 1);
  const type = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  check(
    type !== null,
    FormatError,
    () =>
      `${source}: dtype '${descr}' is not supported (numbers, booleans and Unicode text are; object arrays need pickle)`,
  );
  const little = type[1] !== '>';
  const kind = type[2]!,
    size = Number(type[3]);
  const itemSize = kind === 'U' ? 4 * size : size;
  check(
    bytes.length - start >= count * itemSize,
    FormatError,
    () =>
      `${source}: truncated .npy data (${count} values of ${itemSize} bytes need ${count * itemSize} bytes, the file has ${bytes.length - start})`,
  );
  let data: Float64Array | string[];
  if (kind === 'U') {
    data = Array.from({ length: count }, (_, i) => {
      let s = '';
      for (let c = 0; c < size; c++) {
        const code = view.getUint32(start + i * itemSize + 4 * c, little);
        if (code === 0) break;
        s += String.fromCodePoint(code);
      }
      return s;
    });
  } else {
    const read = reader(kind, size, view, little, source, descr);
    data = new Float64Array(count);
    for (let i = 0; i < count; i++) data[i] = read(start + i * size);
  }
  if (fortran === 'True' && shape.length > 1) data = toRowMajor(data, shape);
  return { shape, data };
}

function reader(
  kind: string,
  size: number,
  view: DataView,
  little: boolean,
  source: string,
  descr: string,
): (offset: number) => number {
  const key = `${kind}${size}`;
  const big = (v: bigint): number => {
    check(
      v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER),
      FormatError,
      () => `${source}: integer ${v} is beyond 2^53 and cannot be represented exactly`,
    );
    return Number(v);
  };
  switch (key) {
    case 'f2':
      return (o) => half(view.getUint16(o, little));
    case 'f4':
      return (o) => view.getFloat32(o, little);
    case 'f8':
      return (o) => view.getFloat64(o, little);
    case 'i1':
      return (o) => view.getInt8(o);
    case 'i2':
      return (o) => view.getInt16(o, little);
    case 'i4':
      return (o) => view.getInt32(o, little);
    case 'i8':
      return (o) => big(view.getBigInt64(o, little));
    case 'u1':
    case 'b1':
      return (o) => view.getUint8(o);
    case 'u2':
      return (o) => view.getUint16(o, little);
    case 'u4':
      return (o) => view.getUint32(o, little);
    case 'u8':
      return (o) => big(view.getBigUint64(o, little));
    default:
      throw new FormatError(`${source}: dtype '${descr}' is not supported (numbers, booleans and Unicode text are)`);
  }
}

/** IEEE 754 binary16 to a number. */
function half(h: number): number {
  const sign = h & 0x8000 ? -1 : 1,
    exp = (h >> 10) & 0x1f,
    frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

function toRowMajor<T extends Float64Array | string[]>(data: T, shape: number[]): T {
  const n = data.length;
  const out = (Array.isArray(data) ? new Array<string>(n) : new Float64Array(n)) as T;
  // Fortran index f = Σ i_k · Π_{j<k} d_j; C index c = Σ i_k · Π_{j>k} d_j.
  const index = new Array<number>(shape.length).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0,
      stride = 1;
    for (let k = 0; k < shape.length; k++) {
      f += index[k]! * stride;
      stride *= shape[k]!;
    }
    out[c] = data[f]!;
    for (let k = shape.length - 1; k >= 0; k--) {
      if (++index[k]! < shape[k]!) break;
      index[k] = 0;
    }
  }
  return out;
}

/**
 * The members of a zip archive (an .npz) by name, stored or deflated, read through the central
 * directory (zip64 sizes and offsets included, as NumPy writes them).
 */
export function readZip(bytes: Uint8Array, source: string): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  check(eocd >= 0, FormatError, () => `${source}: not a zip archive (no end-of-central-directory record; truncated?)`);
  let entries = view.getUint16(eocd + 10, true);
  let dirOffset = view.getUint32(eocd + 16, true);
  if (dirOffset === 0xffffffff || entries === 0xffff) {
    const locator = eocd - 20;
    check(
      locator >= 0 && view.getUint32(locator, true) === 0x07064b50,
      FormatError,
      () => `${source}: zip64 archive without its locator`,
    );
    const record = Number(view.getBigUint64(locator + 8, true));
    check(
      record + 56 <= bytes.length && view.getUint32(record, true) === 0x06064b50,
      FormatError,
      () => `${source}: corrupt zip64 end record`,
    );
    entries = Number(view.getBigUint64(record + 32, true));
    dirOffset = Number(view.getBigUint64(record + 48, true));
  }
  const out = new Map<string, Uint8Array>();
  let p = dirOffset;
  for (let e = 0; e < entries; e++) {
    check(
      p + 46 <= bytes.length && view.getUint32(p, true) === 0x02014b50,
      FormatError,
      () => `${source}: corrupt zip central directory (entry ${e})`,
    );
    const method = view.getUint16(p + 10, true);
    let compressed = view.getUint32(p + 20, true),
      size = view.getUint32(p + 24, true);
    const nameLength = view.getUint16(p + 28, true),
      extraLength = view.getUint16(p + 30, true),
      commentLength = view.getUint16(p + 32, true);
    let local = view.getUint32(p + 42, true);
    const name = new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLength));
    // The zip64 extra field holds, in this order, whichever of the three were 0xFFFFFFFF.
    for (let x = p + 46 + nameLength; x + 4 <= p + 46 + nameLength + extraLength; ) {
      const id = view.getUint16(x, true),
        length = view.getUint16(x + 2, true);
      if (id === 0x0001) {
        let q = x + 4;
        if (size === 0xffffffff) {
          size = Number(view.getBigUint64(q, true));
          q += 8;
        }
        if (compressed === 0xffffffff) {
          compressed = Number(view.getBigUint64(q, true));
          q += 8;
        }
        if (local === 0xffffffff) local = Number(view.getBigUint64(q, true));
      }
      x += 4 + length;
    }
    check(
      local + 30 <= bytes.length && view.getUint32(local, true) === 0x04034b50,
      FormatError,
      () => `${source}: corrupt zip entry '${name}'`,
    );
    const data = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    check(data + compressed <= bytes.length, FormatError, () => `${source}: zip entry '${name}' is truncated`);
    const raw = bytes.subarray(data, data + compressed);
    let content: Uint8Array;
    if (method === 0) content = raw;
    else if (method === 8) {
      try {
        content = inflateRawSync(raw);
      } catch (err) {
        throw new FormatError(`${source}: zip entry '${name}' does not inflate (${(err as Error).message})`);
      }
    } else
      throw new FormatError(
        `${source}: zip entry '${name}' uses compression method ${method}; only stored (0) and deflate (8) are supported`,
      );
    check(
      content.length === size,
      FormatError,
      () => `${source}: zip entry '${name}' has ${content.length} bytes, the directory says ${size}`,
    );
    out.set(name, content);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return out;
}

/** The arrays of an .npz archive by name (without the .npy suffix). */
export function parseNpz(bytes: Uint8Array, source: string): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const [name, content] of readZip(bytes, source)) {
    if (!name.endsWith('.npy')) continue;
    const key = name.slice(0, -4);
    out.set(key, parseNpy(content, `${source}:${key}`));
  }
  return out;
}
