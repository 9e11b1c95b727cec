// Property-based fuzzing of a file reader (fast-check): random bytes and mutations of valid files
// must give the reader's typed errors, never another exception, a hang, or an allocation the input's
// size does not justify. A reader of a new format needs only seeds and a read function:
//
//   await fuzzReader({ name: 'checkpoint', seeds: [validBytes], read: (b) => decodeCheckpoint(b) });
import fc from 'fast-check';
import { expect } from 'vitest';
import { BackpropError } from '../../src/core/errors.js';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface ReaderFuzz<T> {
  /** Names the reader in failure messages. */
  name: string;
  /** Valid inputs that the mutations start from (the more features they use, the deeper the fuzzing). */
  seeds: Uint8Array[];
  /** Reads one input; may be async (file-based readers). */
  read(bytes: Uint8Array): T | Promise<T>;
  /** Error classes a bad input may throw (default: BackpropError, i.e. any of the project's typed errors). */
  errors?: ErrorClass[];
  /** Checks on a successful read (e.g. every weight finite). */
  check?(result: T, bytes: Uint8Array): void;
  /** Memory the reader may add per input byte, measured as ArrayBuffer growth (default 16: float widening, indexes). */
  bytesPerInputByte?: number;
  /** Longest a single input may take (default 2 s; the test's own timeout catches a true hang). */
  maxMs?: number;
  /** Text the format gives meaning to (e.g. '1e300', '";"'), inserted often at random places. */
  tokens?: string[];
  /** Number of inputs (default 300) and the seed of the generator (default 1). */
  runs?: number;
  seed?: number;
}

/** Bytes that make parsers take special paths: NUL, 0xff, quotes, separators, line ends, digits, JSON punctuation. */
const INTERESTING = [
  0x00, 0xff, 0x7f, 0x80, 0x22, 0x2c, 0x3b, 0x09, 0x0a, 0x0d, 0x20, 0x30, 0x31, 0x39, 0x2e, 0x2d, 0x65, 0x7b, 0x7d,
  0x5b, 0x5d, 0x3a,
];

type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'set'; at: number; byte: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'repeat'; at: number; length: number; times: number }
  | { op: 'number'; at: number; value: bigint; width: 4 | 8; littleEndian: boolean }
  | { op: 'text'; at: number; text: string }
  | { op: 'float'; at: number; bits: number };

const byteArb = fc.oneof(fc.constantFrom(...INTERESTING), fc.integer({ min: 0, max: 255 }));
const textArb = fc.constantFrom(
  '1e300',
  '-0',
  'NaN',
  'Infinity',
  '""',
  '"',
  '1,5',
  '\r\n',
  '\n\n',
  '   ',
  'null',
  '[]',
  '{}',
  '-1',
  '4294967295',
  '9007199254740993',
  '1e999',
  '\u00e9',
  '\ud800',
);

/** float32 NaN, +Infinity, -Infinity, the largest float32, a subnormal: written 4-byte aligned over raw tensor data. */
const FLOAT_BITS = [0x7fc00000, 0x7f800000, 0xff800000, 0x7f7fffff, 0x00000001];

const mutationArb = (tokens: string[]): fc.Arbitrary<Mutation> =>
  fc.oneof(
    fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: byteArb }),
    fc.record({
      op: fc.constant('insert' as const),
      at: fc.nat(),
      bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
    }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
    fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({
      op: fc.constant('repeat' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 64 }),
      times: fc.integer({ min: 1, max: 8 }),
    }),
    fc.record({
      op: fc.constant('number' as const),
      at: fc.nat(),
      value: fc.oneof(
        fc.constantFrom(0n, 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 40n, 2n ** 63n, 2n ** 64n - 1n),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      ),
      width: fc.constantFrom(4 as const, 8 as const),
      littleEndian: fc.boolean(),
    }),
    fc.record({ op: fc.constant('text' as const), at: fc.nat(), text: textArb }),
    fc.record({ op: fc.constant('float' as const), at: fc.nat(), bits: fc.constantFrom(...FLOAT_BITS) }),
    ...(tokens.length > 0
      ? [
          {
            arbitrary: fc.record({ op: fc.constant('text' as const), at: fc.nat(), text: fc.constantFrom(...tokens) }),
            weight: 4,
          },
        ]
      : []),
  );

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input);
  for (const m of mutations) {
    const at = b.length === 0 ? 0 : m.at % b.length;
    switch (m.op) {
      case 'flip':
        if (b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
        break;
      case 'set':
        if (b.length > 0) b[at] = m.byte;
        break;
      case 'insert':
        b = concat(b.subarray(0, at), m.bytes, b.subarray(at));
        break;
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(at + m.length));
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'repeat': {
        const piece = b.slice(at, at + m.length);
        b = concat(b.subarray(0, at), ...Array.from({ length: m.times + 1 }, () => piece), b.subarray(at + m.length));
        break;
      }
      case 'number': {
        const bytes = new Uint8Array(m.width);
        const v = new DataView(bytes.buffer);
        if (m.width === 8) v.setBigUint64(0, m.value, m.littleEndian);
        else v.setUint32(0, Number(m.value & 0xffffffffn), m.littleEndian);
        b = concat(b.subarray(0, at), bytes, b.subarray(Math.min(b.length, at + m.width)));
        break;
      }
      case 'text':
        b = concat(b.subarray(0, at), new TextEncoder().encode(m.text), b.subarray(at));
        break;
      case 'float': {
        const a = at - (at % 4);
        if (a + 4 <= b.length) new DataView(b.buffer, b.byteOffset).setUint32(a, m.bits, true);
        break;
      }
    }
  }
  return b;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Inputs for a reader: random bytes, and valid seeds with 1-6 mutations (or none). */
export function readerInputs(seeds: Uint8Array[], tokens: string[] = []): fc.Arbitrary<Uint8Array> {
  const mutated = fc
    .tuple(fc.integer({ min: 0, max: seeds.length - 1 }), fc.array(mutationArb(tokens), { minLength: 0, maxLength: 6 }))
    .map(([k, ms]) => mutate(seeds[k]!, ms));
  return fc.oneof({ arbitrary: mutated, weight: 4 }, { arbitrary: fc.uint8Array({ maxLength: 512 }), weight: 1 });
}

/**
 * Runs `f.read` on generated inputs and asserts, for each: it returns or throws one of `f.errors`;
 * it finishes within `maxMs`; the ArrayBuffer memory it leaves allocated (its result included) is
 * at most bytesPerInputByte × input length + 4 MiB. A failure reports the shrunk input.
 */
export async function fuzzReader<T>(f: ReaderFuzz<T>): Promise<void> {
  const errors = f.errors ?? [BackpropError];
  const maxMs = f.maxMs ?? 2000;
  const perByte = f.bytesPerInputByte ?? 16;
  let typed = 0,
    ok = 0;
  await fc.assert(
    fc.asyncProperty(readerInputs(f.seeds, f.tokens), async (bytes) => {
      const before = process.memoryUsage().arrayBuffers;
      const t0 = performance.now();
      let result: T | undefined;
      try {
        result = await f.read(bytes);
        ok++;
      } catch (e) {
        if (!errors.some((E) => e instanceof E)) {
          throw new Error(
            `${f.name}: untyped ${(e as Error)?.name ?? typeof e} for an input of ${bytes.length} bytes: ${(e as Error)?.message ?? String(e)}`,
          );
        }
        typed++;
      }
      const ms = performance.now() - t0;
      const grown = process.memoryUsage().arrayBuffers - before;
      expect(ms, `${f.name}: ${ms.toFixed(0)} ms for an input of ${bytes.length} bytes`).toBeLessThan(maxMs);
      expect(
        grown,
        `${f.name}: ${grown} bytes of ArrayBuffers kept for an input of ${bytes.length} bytes`,
      ).toBeLessThanOrEqual(perByte * bytes.length + 4 * 1024 * 1024);
      if (result !== undefined) f.check?.(result, bytes);
    }),
    { seed: f.seed ?? 1, numRuns: f.runs ?? 300 },
  );
  // A fuzzer whose inputs all fail the same first check explores nothing: both outcomes must occur.
  expect(typed, `${f.name}: no input was rejected`).toBeGreaterThan(0);
  expect(ok, `${f.name}: no input was accepted (the seeds or the mutations are too destructive)`).toBeGreaterThan(0);
}
