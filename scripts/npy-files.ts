// Writers of .npy and .npz files in NumPy's layout, so that the readers' tests and
// make-table-files.ts need no Python (the tests check numpy-made files too where numpy is installed).
import { deflateRawSync } from 'node:zlib';

/**
 * A .npy file (format 1.0) of float64 (`<f8`), int32 (`<i4`), uint8 (`<u1`), big-endian float32
 * (`>f4`) values, or of text (`<U`, as wide as the longest string).
 */
export function npyBytes(
  values: ArrayLike<number> | string[],
  shape: number[],
  descr: '<f8' | '<i4' | '>f4' | '<u1' | '<U' = '<f8',
  fortran = false,
): Uint8Array {
  const width = descr === '<U' ? Math.max(1, ...(values as string[]).map((v) => [...v].length)) : 0;
  let header = `{'descr': '${descr === '<U' ? `<U${width}` : descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // The data starts at a multiple of 64 bytes; the header ends with a newline.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const size = descr === '<U' ? 4 * width : descr === '<u1' ? 1 : descr === '<f8' ? 8 : 4;
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (descr === '<U') [...String(v)].forEach((ch, c) => view.setUint32(i * size + 4 * c, ch.codePointAt(0)!, true));
    else if (descr === '<f8') view.setFloat64(i * 8, v as number, true);
    else if (descr === '<i4') view.setInt32(i * 4, v as number, true);
    else if (descr === '<u1') view.setUint8(i, v as number);
    else view.setFloat32(i * 4, v as number, false);
  }
  return out;
}

/** A zip archive of the given members, stored or deflated, with their CRC-32s (numpy checks them). */
export function zipBytes(members: Record<string, Uint8Array>, deflate: boolean): Uint8Array {
  const locals: Uint8Array[] = [],
    centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(members)) {
    const nameBytes = new TextEncoder().encode(name);
    const data = deflate ? deflateRawSync(content) : content;
    const local = new Uint8Array(30 + nameBytes.length + data.length);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(8, deflate ? 8 : 0, true);
    lv.setUint32(14, crc32(content), true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, content.length, true);
    lv.setUint16(26, nameBytes.length, true);
    local.set(nameBytes, 30);
    local.set(data, 30 + nameBytes.length);
    const central = new Uint8Array(46 + nameBytes.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(10, deflate ? 8 : 0, true);
    cv.setUint32(16, crc32(content), true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, content.length, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint32(42, offset, true);
    central.set(nameBytes, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const dirSize = centrals.reduce((n, c) => n + c.length, 0);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, centrals.length, true);
  ev.setUint16(10, centrals.length, true);
  ev.setUint32(12, dirSize, true);
  ev.setUint32(16, offset, true);
  const parts = [...locals, ...centrals, end];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** CRC-32 (reflected polynomial 0xEDB88320), bit by bit: these files are small. */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
