// The safetensors format: 8-byte little-endian header length, a JSON header, then raw tensor bytes.
import { check, FormatError } from '../core/errors.js';
import { formatShape, shapeSize, Tensor } from '../core/tensor.js';

/** Data types this reader understands, with their byte widths. */
const DTYPE_BYTES = { F32: 4, F64: 8, F16: 2, BF16: 2 } as const;
type SafeDType = keyof typeof DTYPE_BYTES;

/** Header entries larger than this are refused (a corrupt length field must not allocate gigabytes). */
const MAX_HEADER_BYTES = 100 * 1024 * 1024;

/**
 * Encodes named tensors as safetensors bytes (float32 for float32 tensors, float64 for float64).
 * Names are written in sorted order, as the reference implementation does; `metadata` goes into
 * `__metadata__` (string values only).
 *
 * @example
 * const bytes = encodeSafetensors({ 'layers.0.weight': Tensor.zeros([4, 2]) }, { format: 'pt' });
 * decodeSafetensors(bytes).tensors['layers.0.weight'].shape; // [4, 2]
 */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const bytes = t.data.byteLength;
    header[name] = {
      dtype: t.dtype === 'float64' ? 'F64' : 'F32',
      shape: [...t.shape],
      data_offsets: [offset, offset + bytes],
    };
    offset += bytes;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  // Pad the header with spaces so the data starts 8-byte aligned (allowed by the format).
  const headerBytes = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name]!;
    const src = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    out.set(littleEndian(src, t.data.BYTES_PER_ELEMENT), pos);
    pos += src.length;
  }
  return out;
}

/** The contents of a safetensors file. */
export interface DecodedSafetensors {
  /** Tensors by name, with their shapes. */
  tensors: Record<string, Tensor>;
  /** The header's `__metadata__` (empty when absent). */
  metadata: Record<string, string>;
}

/**
 * Decodes safetensors bytes. F32 and F64 tensors load as such; F16/BF16 are widened to float32.
 * Every header claim is checked against the file: offsets in order, contiguous, within the data,
 * and matching dtype × shape, so a truncated file or a lying header is a FormatError.
 */
export function decodeSafetensors(bytes: Uint8Array, source = 'safetensors data'): DecodedSafetensors {
  check(
    bytes.length >= 8,
    FormatError,
    () => `${source}: ${bytes.length} bytes is too short for a safetensors file (needs an 8-byte header length)`,
  );
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  check(
    headerLength <= BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8)),
    FormatError,
    () => `${source}: header length ${headerLength} exceeds the file (${bytes.length} bytes)`,
  );
  const n = Number(headerLength);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n))) as Record<
      string,
      unknown
    >;
  } catch (e) {
    throw new FormatError(`${source}: the header is not valid JSON (${(e as Error).message})`);
  }
  check(
    typeof header === 'object' && header !== null && !Array.isArray(header),
    FormatError,
    () => `${source}: the header must be a JSON object`,
  );
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  // Null-prototype records: a tensor named '__proto__' is a name like any other.
  const metadata = Object.create(null) as Record<string, string>;
  const entries: { name: string; dtype: SafeDType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      check(
        typeof value === 'object' && value !== null && !Array.isArray(value),
        FormatError,
        () => `${source}: __metadata__ must be an object of strings, got ${JSON.stringify(value)}`,
      );
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        check(typeof v === 'string', FormatError, () => `${source}: __metadata__.${k} must be a string`);
        metadata[k] = v;
      }
      continue;
    }
    const e = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    check(typeof e === 'object' && e !== null, FormatError, () => `${source}: tensor '${name}' has no description`);
    check(
      typeof e.dtype === 'string' && e.dtype in DTYPE_BYTES,
      FormatError,
      () =>
        `${source}: tensor '${name}' has unsupported dtype ${JSON.stringify(e.dtype)} (supported: ${Object.keys(DTYPE_BYTES).join(', ')})`,
    );
    check(
      Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0),
      FormatError,
      () => `${source}: tensor '${name}' has an invalid shape ${JSON.stringify(e.shape)}`,
    );
    check(
      Array.isArray(e.data_offsets) &&
        e.data_offsets.length === 2 &&
        e.data_offsets.every((d) => Number.isInteger(d) && d >= 0),
      FormatError,
      () => `${source}: tensor '${name}' has invalid data_offsets ${JSON.stringify(e.data_offsets)}`,
    );
    const [begin, end] = e.data_offsets as [number, number];
    const dtype = e.dtype as SafeDType;
    const shape = e.shape as number[];
    const expected = shapeSize(shape) * DTYPE_BYTES[dtype];
    check(
      end >= begin && end - begin === expected,
      FormatError,
      () =>
        `${source}: tensor '${name}' (${dtype}, shape ${formatShape(shape)}) needs ${expected} bytes but its offsets [${begin}, ${end}] give ${end - begin}`,
    );
    check(
      end <= dataLength,
      FormatError,
      () =>
        `${source}: tensor '${name}' ends at byte ${end} of the data, but the file holds only ${dataLength} data bytes (truncated?)`,
    );
    entries.push({ name, dtype, shape, begin, end });
  }
  // The format requires the tensors to tile the data buffer exactly, without holes or overlaps.
  entries.sort((a, b) => a.begin - b.begin);
  let expectedBegin = 0;
  for (const e of entries) {
    check(
      e.begin === expectedBegin,
      FormatError,
      () =>
        `${source}: tensor '${e.name}' starts at byte ${e.begin}, expected ${expectedBegin} (overlapping or gapped offsets)`,
    );
    expectedBegin = e.end;
  }
  check(
    expectedBegin === dataLength,
    FormatError,
    () => `${source}: the tensors cover ${expectedBegin} data bytes but the file has ${dataLength}`,
  );
  const tensors = Object.create(null) as Record<string, Tensor>;
  for (const e of entries) {
    const raw = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    tensors[e.name] = new Tensor(decodeValues(raw, e.dtype), e.shape);
  }
  return { tensors, metadata };
}

function decodeValues(raw: Uint8Array, dtype: SafeDType): Float32Array | Float64Array {
  const dv = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  switch (dtype) {
    case 'F32': {
      const out = new Float32Array(raw.length / 4);
      for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
      return out;
    }
    case 'F64': {
      const out = new Float64Array(raw.length / 8);
      for (let i = 0; i < out.length; i++) out[i] = dv.getFloat64(i * 8, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(raw.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToFloat(dv.getUint16(i * 2, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(raw.length / 2);
      const tmp = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < out.length; i++) {
        tmp.setUint32(0, dv.getUint16(i * 2, true) << 16);
        out[i] = tmp.getFloat32(0);
      }
      return out;
    }
  }
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

const bigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** The bytes of a typed array in little-endian order (a copy only on big-endian hosts). */
function littleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (!bigEndianHost) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let b = 0; b < width; b++) out[i + b] = bytes[i + width - 1 - b]!;
  return out;
}
