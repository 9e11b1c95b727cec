// The WebAssembly backend: SIMD kernels compiled from asm/, buffers allocated inside the kernels'
// memory so that calls need no copies, and GEMMs split across worker threads over shared memory.

import { ConfigError, check, DataError, ShapeError } from '../../core/errors.js';
import { checkKeepThreshold } from '../../core/philox.js';
import type { FloatArray } from '../../core/tensor.js';
import {
  type ActivationName,
  type AdamStep,
  adamCoefficients,
  type Backend,
  type DropoutMask,
  type GemmOptions,
  type MomentumStep,
  type RmsPropStep,
} from '../backend.js';
import { referenceBackend } from '../reference/reference.js';
import { instantiateKernels, type KernelExports } from './exports.js';
import { KERNELS } from './generated/kernels.js';
import { Heap } from './heap.js';
import { MAX_TASKS, ThreadPool } from './pool.js';
import { ACTIVATION_CODES } from './protocol.js';
import { decodeBase64, type WasmBuildName, wasmSupport } from './support.js';

/** How `createWasmBackend` builds the backend: threads, kernel build and memory. */
export interface WasmBackendOptions {
  /** Threads for GEMM (this one plus workers). Default: the core count, at most 8; 1 without shared memory. */
  threads?: number;
  /** Force a kernel build instead of the fastest this runtime validates (tests and benchmarks). */
  build?: WasmBuildName;
  /** Initial memory in MiB (default 16). Without SharedArrayBuffer the memory cannot grow: size it for the model. */
  memoryMiB?: number;
  /** false: use unshared memory (one thread, fixed size) even where shared memory works, as runtimes without it must. */
  sharedMemory?: boolean;
}

const PAGE = 65536;
/** Shared memory reserves its maximum up front; 2 GiB keeps every address a positive int32. */
const MAX_SHARED_PAGES = 32768;
const MAX_DEFAULT_THREADS = 8;
/** Below this many multiply-adds (m·n·k) waking workers costs more than it saves. */
const PARALLEL_MIN_MACS = 1 << 18;
/** Columns of a micro-tile (asm/gemm.ts: NR): packed panels of B are this wide. */
const NR_PANEL = 8;
/** Tile tasks per thread in a shared GEMM: operands are packed once, so small tasks cost little and even out threads that finish early. */
const TILE_TASKS_PER_THREAD = 4;
/** Below this many weights an optimiser step (Adam, momentum) is not worth splitting across threads. */
const PARALLEL_MIN_WEIGHTS = 1 << 15;
/** Below this many bytes a gather is not worth splitting across threads. */
const PARALLEL_MIN_GATHER = 1 << 15;
/** Below this many elements dropout, multiply and the activation epilogues are not worth splitting across threads. */
const PARALLEL_MIN_ELEMENTS = 1 << 14;
/** Element-wise tasks per thread (optimiser steps, dropout), each a whole number of 64-byte lines. */
const CHUNK_TASKS_PER_THREAD = 2;

/**
 * Kernels in WebAssembly. Float32 arrays from `allocFloat32` are views of the module's memory and
 * are used in place; other float32 arrays are copied in and out; float64 arrays (gradient checks)
 * go to the reference backend.
 *
 * @example
 * const wasm = await createWasmBackend({ threads: 2 });
 * const a = wasm.allocFloat32(6), b = wasm.allocFloat32(6), c = wasm.allocFloat32(4);
 * a.set([1, 2, 3, 4, 5, 6]); b.set([1, 0, 0, 1, 1, 1]);
 * wasm.gemm(a, b, c, { m: 2, n: 2, k: 3 }); // c = [4, 5, 10, 11]
 * wasm.dispose();
 */
export class WasmBackend implements Backend {
  /** 'blas' in the subclass that hands the products to a system BLAS (src/backend/blas). */
  readonly name: 'wasm' | 'blas' = 'wasm';

  /** Use `createWasmBackend` (or `WasmBackend.create`); the constructor takes the instantiated parts. */
  protected constructor(
    /** The kernel build in use: relaxed, simd or scalar. */
    readonly build: WasmBuildName,
    /** Threads the WASM kernels run on: this one plus workers (1 without shared memory; 1 in BlasBackend, whose products run on the library's threads). */
    readonly threads: number,
    /** The kernels' memory; arrays from allocFloat32 and allocBytes are views of it. */
    readonly memory: WebAssembly.Memory,
    private readonly kernels: KernelExports,
    private readonly heap: Heap,
    /** gemm scratch per thread: index 0 for this thread, w + 1 for worker w. */
    private readonly scratch: readonly number[],
    private readonly pool: ThreadPool | null,
  ) {}

  /** Address and size (bytes) of the buffer a shared GEMM packs its operands into; grows to the largest product. */
  private packed = 0;
  private packedBytes = 0;
  /** Row numbers for gatherUnitBytes (empty until first used). */
  private rows = new Int32Array(0);

  /** Instantiates the kernels; see createWasmBackend. */
  static async create(options: WasmBackendOptions = {}): Promise<WasmBackend> {
    const support = await wasmSupport();
    check(support.wasm, ConfigError, () => 'wasm backend: this runtime has no WebAssembly');
    const build = options.build ?? (support.relaxed ? 'relaxed' : support.simd ? 'simd' : 'scalar');
    check(
      build === 'scalar' || support[build],
      ConfigError,
      () => `wasm backend: build '${build}' is not supported by this runtime`,
    );
    const wanted = options.threads ?? Math.min(support.cores, MAX_DEFAULT_THREADS);
    check(
      Number.isInteger(wanted) && wanted >= 1,
      ConfigError,
      () => `wasm backend: threads must be a positive integer, got ${wanted}`,
    );
    const memoryMiB = options.memoryMiB ?? 16;
    check(
      Number.isFinite(memoryMiB) && memoryMiB > 0 && memoryMiB <= 2048,
      ConfigError,
      () => `wasm backend: memoryMiB must be in (0, 2048], got ${memoryMiB}`,
    );
    const shared = support.sharedMemory && options.sharedMemory !== false;
    const threads = shared && support.threads ? wanted : 1;

    const pages = Math.ceil((memoryMiB * 2 ** 20) / PAGE);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: shared ? MAX_SHARED_PAGES : pages, shared });
    const module = await WebAssembly.compile(decodeBase64(KERNELS[build][shared ? 'shared' : 'unshared']));
    const kernels = await instantiateKernels(module, memory);
    const heap = new Heap(memory, shared);
    const scratch = Array.from({ length: threads }, () => heap.alloc(kernels.gemmScratchBytes()));
    const pool =
      threads > 1
        ? await ThreadPool.start(
            module,
            memory,
            kernels,
            heap.alloc(ThreadPool.controlBytes(threads - 1)),
            scratch[0]!,
            scratch.slice(1),
          )
        : null;
    return new this(build, threads, memory, kernels, heap, scratch, pool);
  }

  /** A zeroed view of `length` floats inside the kernels' memory; give it back with `free` when done. */
  allocFloat32(length: number): Float32Array {
    check(
      Number.isInteger(length) && length >= 0,
      ConfigError,
      () => `wasm backend: allocFloat32 length must be a non-negative integer, got ${length}`,
    );
    // Allocate first: allocation may grow the memory and replace memory.buffer.
    const offset = this.heap.alloc(length * 4);
    return new Float32Array(this.memory.buffer, offset, length);
  }

  /**
   * A zeroed byte buffer inside the kernels' memory, e.g. for image data: a ByteImageSource over it
   * fills batches with a SIMD kernel (`gatherUnitBytes`). Give it back with `free` when done.
   */
  allocBytes(length: number): Uint8Array {
    check(
      Number.isInteger(length) && length >= 0,
      ConfigError,
      () => `wasm backend: allocBytes length must be a non-negative integer, got ${length}`,
    );
    const offset = this.heap.alloc(length);
    return new Uint8Array(this.memory.buffer, offset, length);
  }

  /** Returns a buffer from `allocFloat32` or `allocBytes` (the very view, not a subarray) to the allocator. */
  free(array: Float32Array | Uint8Array): void {
    check(
      this.heap.contains(array),
      ConfigError,
      () => 'wasm backend: free was given an array this backend did not allocate',
    );
    this.heap.release(array.byteOffset);
  }

  /** Bytes currently allocated (buffers, scratch, control block). */
  get bytesInUse(): number {
    return this.heap.bytesInUse;
  }

  /** Stops the worker threads. The backend must not be used afterwards. */
  dispose(): void {
    this.pool?.close();
  }

  gemm(a: FloatArray, b: FloatArray, c: FloatArray, options: GemmOptions): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
      referenceBackend.gemm(a, b, c, options);
      return;
    }
    const { m, n, k, transA = false, transB = false, accumulate = false } = options;
    const pa = this.address(a),
      pb = this.address(b),
      pc = this.address(c);
    if (pa >= 0 && pb >= 0 && pc >= 0) this.gemmAt(pa, pb, pc, m, n, k, transA, transB, accumulate);
    else this.staged([a, b, c], [c], (p) => this.gemmAt(p[0]!, p[1]!, p[2]!, m, n, k, transA, transB, accumulate));
  }

  biasActivation(
    z: FloatArray,
    bias: FloatArray,
    a: FloatArray,
    m: number,
    n: number,
    activation: ActivationName,
    slope: number,
  ): void {
    if (!(z instanceof Float32Array && bias instanceof Float32Array && a instanceof Float32Array)) {
      referenceBackend.biasActivation(z, bias, a, m, n, activation, slope);
      return;
    }
    const pz = this.address(z),
      pbias = this.address(bias),
      pa = this.address(a);
    const code = ACTIVATION_CODES[activation];
    const pool = this.pool;
    if (pz >= 0 && pbias >= 0 && pa >= 0 && pool !== null && m > 1 && m * n >= PARALLEL_MIN_ELEMENTS) {
      const [chunk, tasks] = rowChunks(pool, m);
      pool.run('biasActivation', { rows: m, n, chunk, z: pz, bias: pbias, a: pa, activation: code, slope }, tasks);
    } else if (pz >= 0 && pbias >= 0 && pa >= 0) this.kernels.biasActivation(pz, pbias, pa, m, n, code, slope);
    else this.staged([z, bias, a], [z, a], (p) => this.kernels.biasActivation(p[0]!, p[1]!, p[2]!, m, n, code, slope));
  }

  activation(z: FloatArray, a: FloatArray, m: number, n: number, activation: ActivationName, slope: number): void {
    if (!(z instanceof Float32Array && a instanceof Float32Array)) {
      referenceBackend.activation(z, a, m, n, activation, slope);
      return;
    }
    const pz = this.address(z),
      pa = this.address(a);
    const code = ACTIVATION_CODES[activation];
    if (pz >= 0 && pa >= 0) this.kernels.activation(pz, pa, m, n, code, slope);
    else this.staged([z, a], [a], (p) => this.kernels.activation(p[0]!, p[1]!, m, n, code, slope));
  }

  activationBackward(
    z: FloatArray,
    a: FloatArray,
    dA: FloatArray,
    dZ: FloatArray,
    m: number,
    n: number,
    activation: ActivationName,
    slope: number,
  ): void {
    if (
      !(
        z instanceof Float32Array &&
        a instanceof Float32Array &&
        dA instanceof Float32Array &&
        dZ instanceof Float32Array
      )
    ) {
      referenceBackend.activationBackward(z, a, dA, dZ, m, n, activation, slope);
      return;
    }
    const pz = this.address(z),
      pa = this.address(a),
      pdA = this.address(dA),
      pdZ = this.address(dZ);
    const code = ACTIVATION_CODES[activation];
    const pool = this.pool;
    const inMemory = pz >= 0 && pa >= 0 && pdA >= 0 && pdZ >= 0;
    if (inMemory && pool !== null && m > 1 && m * n >= PARALLEL_MIN_ELEMENTS) {
      const [chunk, tasks] = rowChunks(pool, m);
      pool.run(
        'activationBackward',
        { rows: m, n, chunk, z: pz, a: pa, dA: pdA, dZ: pdZ, activation: code, slope },
        tasks,
      );
    } else if (inMemory) this.kernels.activationBackward(pz, pa, pdA, pdZ, m, n, code, slope);
    else
      this.staged([z, a, dA, dZ], [dZ], (p) =>
        this.kernels.activationBackward(p[0]!, p[1]!, p[2]!, p[3]!, m, n, code, slope),
      );
  }

  scaledDifference(a: FloatArray, y: FloatArray, out: FloatArray, size: number, divisor: number): void {
    if (!(a instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array)) {
      referenceBackend.scaledDifference(a, y, out, size, divisor);
      return;
    }
    const pa = this.address(a),
      py = this.address(y),
      pout = this.address(out);
    if (pa >= 0 && py >= 0 && pout >= 0) this.kernels.scaledDifference(pa, py, pout, size, divisor);
    else this.staged([a, y, out], [out], (p) => this.kernels.scaledDifference(p[0]!, p[1]!, p[2]!, size, divisor));
  }

  sumRows(x: FloatArray, out: FloatArray, m: number, n: number, accumulate: boolean): void {
    if (!(x instanceof Float32Array && out instanceof Float32Array)) {
      referenceBackend.sumRows(x, out, m, n, accumulate);
      return;
    }
    const px = this.address(x),
      pout = this.address(out);
    const acc = accumulate ? 1 : 0;
    if (px >= 0 && pout >= 0) this.kernels.sumRows(px, pout, m, n, acc);
    else this.staged([x, out], [out], (p) => this.kernels.sumRows(p[0]!, p[1]!, m, n, acc));
  }

  momentumUpdate(w: FloatArray, g: FloatArray, v: FloatArray | null, s: MomentumStep): void {
    if (!(w instanceof Float32Array && g instanceof Float32Array && (v === null || v instanceof Float32Array))) {
      referenceBackend.momentumUpdate(w, g, v, s);
      return;
    }
    const len = w.length;
    const pw = this.address(w),
      pg = this.address(g),
      pv = v === null ? 0 : this.address(v);
    const pool = this.pool;
    if (pw < 0 || pg < 0 || pv < 0) {
      const arrays = v === null ? [w, g] : [w, g, v];
      this.staged(arrays, v === null ? [w] : [w, v], (p) =>
        this.kernels.momentum(
          p[0]!,
          p[1]!,
          v === null ? 0 : p[2]!,
          len,
          s.lr,
          s.weightDecay,
          s.decay,
          s.scale,
          s.nesterov,
        ),
      );
    } else if (pool !== null && len >= PARALLEL_MIN_WEIGHTS) {
      const [chunk, tasks] = chunks(pool, len);
      pool.run(
        'momentum',
        {
          length: len,
          chunk,
          w: pw,
          g: pg,
          v: pv,
          lr: s.lr,
          weightDecay: s.weightDecay,
          decay: s.decay,
          scale: s.scale,
          nesterov: s.nesterov,
        },
        tasks,
      );
    } else this.kernels.momentum(pw, pg, pv, len, s.lr, s.weightDecay, s.decay, s.scale, s.nesterov);
  }

  rmspropUpdate(w: FloatArray, g: FloatArray, v: FloatArray, buffer: FloatArray | null, s: RmsPropStep): void {
    if (
      !(
        w instanceof Float32Array &&
        g instanceof Float32Array &&
        v instanceof Float32Array &&
        (buffer === null || buffer instanceof Float32Array)
      )
    ) {
      referenceBackend.rmspropUpdate(w, g, v, buffer, s);
      return;
    }
    const len = w.length;
    // 1 − α arrives precomputed in double precision, as Adam's 1 − β.
    const oneMinusAlpha = 1 - s.alpha;
    const pw = this.address(w),
      pg = this.address(g),
      pv = this.address(v),
      pb = buffer === null ? 0 : this.address(buffer);
    const pool = this.pool;
    if (pw < 0 || pg < 0 || pv < 0 || pb < 0) {
      const arrays = buffer === null ? [w, g, v] : [w, g, v, buffer];
      this.staged(arrays, buffer === null ? [w, v] : [w, v, buffer], (p) =>
        this.kernels.rmsprop(
          p[0]!,
          p[1]!,
          p[2]!,
          buffer === null ? 0 : p[3]!,
          len,
          s.lr,
          s.weightDecay,
          s.alpha,
          oneMinusAlpha,
          s.eps,
          s.momentum,
        ),
      );
    } else if (pool !== null && len >= PARALLEL_MIN_WEIGHTS) {
      const [chunk, tasks] = chunks(pool, len);
      pool.run(
        'rmsprop',
        {
          length: len,
          chunk,
          w: pw,
          g: pg,
          v: pv,
          buffer: pb,
          lr: s.lr,
          weightDecay: s.weightDecay,
          alpha: s.alpha,
          oneMinusAlpha,
          eps: s.eps,
          momentum: s.momentum,
        },
        tasks,
      );
    } else this.kernels.rmsprop(pw, pg, pv, pb, len, s.lr, s.weightDecay, s.alpha, oneMinusAlpha, s.eps, s.momentum);
  }

  adamUpdate(w: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, s: AdamStep): void {
    if (
      !(
        w instanceof Float32Array &&
        g instanceof Float32Array &&
        m instanceof Float32Array &&
        v instanceof Float32Array
      )
    ) {
      referenceBackend.adamUpdate(w, g, m, v, s);
      return;
    }
    // The same algebra and scalars as the reference: w ← w·decay − stepSize·m / (√v / sqrtBc2 + ε).
    const { stepSize, sqrtBc2, oneMinusBeta1, oneMinusBeta2, decay, l2 } = adamCoefficients(s);
    const len = w.length;
    const pw = this.address(w),
      pg = this.address(g),
      pm = this.address(m),
      pv = this.address(v);
    const pool = this.pool;
    if (pw >= 0 && pg >= 0 && pm >= 0 && pv >= 0 && pool !== null && len >= PARALLEL_MIN_WEIGHTS) {
      const [chunk, tasks] = chunks(pool, len);
      pool.run(
        'adam',
        {
          length: len,
          chunk,
          w: pw,
          g: pg,
          m: pm,
          v: pv,
          beta1: s.beta1,
          beta2: s.beta2,
          oneMinusBeta1,
          oneMinusBeta2,
          eps: s.eps,
          stepSize,
          sqrtBc2,
          decay,
          l2,
        },
        tasks,
      );
      return;
    }
    // One thread: in place when all four live in the memory, else on staged copies.
    const adam = (wAt: number, gAt: number, mAt: number, vAt: number): void =>
      this.kernels.adam(
        wAt,
        gAt,
        mAt,
        vAt,
        len,
        s.beta1,
        s.beta2,
        oneMinusBeta1,
        oneMinusBeta2,
        s.eps,
        stepSize,
        sqrtBc2,
        decay,
        l2,
      );
    if (pw >= 0 && pg >= 0 && pm >= 0 && pv >= 0) adam(pw, pg, pm, pv);
    else this.staged([w, g, m, v], [w, m, v], (p) => adam(p[0]!, p[1]!, p[2]!, p[3]!));
  }

  gatherUnitBytes(
    bytes: Uint8Array,
    rows: ArrayLike<number>,
    start: number,
    count: number,
    n: number,
    out: FloatArray,
  ): boolean {
    if (!(out instanceof Float32Array) || !this.heap.contains(bytes) || !this.heap.contains(out)) return false;
    check(
      out.length >= count * n,
      ShapeError,
      () => `gatherUnitBytes: out holds ${out.length} floats, fewer than ${count} rows of ${n}`,
    );
    // The kernel reads wherever the row numbers point, so they are checked here, once each.
    const total = Math.floor(bytes.length / n);
    const staged = this.rowBuffer(count);
    for (let i = 0; i < count; i++) {
      const r = rows[start + i]!;
      check(
        Number.isInteger(r) && r >= 0 && r < total,
        DataError,
        () => `gatherUnitBytes: row ${r} (index ${start + i}) is outside the ${total} rows of ${n} bytes`,
      );
      staged[i] = r;
    }
    const pool = this.pool;
    if (pool === null || count * n < PARALLEL_MIN_GATHER) {
      this.kernels.gatherUnitBytes(bytes.byteOffset, staged.byteOffset, count, n, out.byteOffset);
      return true;
    }
    // Scattered rows are cache misses: two threads keep twice as many in flight.
    const chunk = Math.ceil(count / (pool.threads * 2));
    pool.run(
      'gather',
      { bytes: bytes.byteOffset, rows: staged.byteOffset, count, n, out: out.byteOffset, chunk },
      Math.ceil(count / chunk),
    );
    return true;
  }

  dropout(x: FloatArray, out: FloatArray, mask: FloatArray, size: number, drop: DropoutMask): void {
    if (!(x instanceof Float32Array && out instanceof Float32Array && mask instanceof Float32Array)) {
      referenceBackend.dropout(x, out, mask, size, drop);
      return;
    }
    checkKeepThreshold(drop.threshold);
    const threshold = drop.threshold,
      key0 = drop.key0 | 0,
      key1 = drop.key1 | 0;
    const px = this.address(x),
      pout = this.address(out),
      pmask = this.address(mask);
    const pool = this.pool;
    if (px < 0 || pout < 0 || pmask < 0) {
      this.staged([x, out, mask], [out, mask], (p) =>
        this.kernels.dropout(p[0]!, p[1]!, p[2]!, 0, size, key0, key1, threshold, drop.scale),
      );
    } else if (pool !== null && size >= PARALLEL_MIN_ELEMENTS) {
      // Chunks are whole mask groups of 32.
      const [chunk, tasks] = chunks(pool, size, 32);
      pool.run(
        'dropout',
        { length: size, chunk, x: px, out: pout, mask: pmask, key0, key1, threshold, scale: drop.scale },
        tasks,
      );
    } else this.kernels.dropout(px, pout, pmask, 0, size, key0, key1, threshold, drop.scale);
  }

  firstNonFinite(x: FloatArray, size: number): number {
    check(
      Number.isInteger(size) && size >= 0 && size <= x.length,
      ShapeError,
      () => `firstNonFinite: size ${size} is not an integer in [0, ${x.length}]`,
    );
    // Arrays outside the memory are checked in place by the reference: a copy would cost as much as the check.
    if (!(x instanceof Float32Array) || !this.heap.contains(x)) return referenceBackend.firstNonFinite(x, size);
    return this.kernels.firstNonFinite(x.byteOffset, size);
  }

  multiply(a: FloatArray, b: FloatArray, out: FloatArray, size: number): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array)) {
      referenceBackend.multiply(a, b, out, size);
      return;
    }
    const pa = this.address(a),
      pb = this.address(b),
      pout = this.address(out);
    const pool = this.pool;
    if (pa < 0 || pb < 0 || pout < 0)
      this.staged([a, b, out], [out], (p) => this.kernels.multiply(p[0]!, p[1]!, p[2]!, 0, size));
    else if (pool !== null && size >= PARALLEL_MIN_ELEMENTS) {
      const [chunk, tasks] = chunks(pool, size);
      pool.run('multiply', { length: size, chunk, a: pa, b: pb, out: pout }, tasks);
    } else this.kernels.multiply(pa, pb, pout, 0, size);
  }

  /** An int32 view of at least `count` entries inside the memory, for row numbers; grows, never shrinks. */
  private rowBuffer(count: number): Int32Array {
    if (this.rows.length < count) {
      if (this.rows.length > 0) this.heap.release(this.rows.byteOffset);
      this.rows = new Int32Array(this.memory.buffer, this.heap.alloc(count * 4), count);
    }
    return this.rows;
  }

  /** Byte address of a view of our memory, or −1 for an array elsewhere. */
  private address(x: Float32Array): number {
    return this.heap.contains(x) ? x.byteOffset : -1;
  }

  /** The slow path: copies arrays from outside the memory in, runs, copies the `written` ones back. */
  private staged(
    arrays: readonly Float32Array[],
    written: readonly Float32Array[],
    run: (pointers: readonly number[]) => void,
  ): void {
    const pointers: number[] = [];
    const temporary: number[] = [];
    for (let i = 0; i < arrays.length; i++) {
      const x = arrays[i]!;
      const same = arrays.indexOf(x);
      if (same < i) pointers.push(pointers[same]!);
      else if (this.heap.contains(x)) pointers.push(x.byteOffset);
      else {
        const p = this.heap.alloc(x.byteLength);
        new Float32Array(this.memory.buffer, p, x.length).set(x);
        pointers.push(p);
        temporary.push(p);
      }
    }
    try {
      run(pointers);
      for (const x of written) {
        if (!this.heap.contains(x)) x.set(new Float32Array(this.memory.buffer, pointers[arrays.indexOf(x)]!, x.length));
      }
    } finally {
      for (const p of temporary) this.heap.release(p);
    }
  }

  /** C = op(A)·op(B) on addresses, on this thread alone or shared with the workers. */
  private gemmAt(
    pa: number,
    pb: number,
    pc: number,
    m: number,
    n: number,
    k: number,
    transA: boolean,
    transB: boolean,
    accumulate: boolean,
  ): void {
    const lda = transA ? m : k;
    const ldb = transB ? k : n;
    const ldc = n;
    const ta = transA ? 1 : 0,
      tb = transB ? 1 : 0,
      acc = accumulate ? 1 : 0;
    const pool = this.pool;
    if (pool === null || m * n * k < PARALLEL_MIN_MACS) {
      this.kernels.gemm(pa, pb, pc, m, n, k, lda, ldb, ldc, ta, tb, acc, this.scratch[0]!);
      return;
    }
    this.sharedGemm(pool, pa, pb, pc, m, n, k, lda, ldb, ldc, ta, tb, acc);
  }

  /**
   * A product shared with the workers: C's tiles are computed in a few column ranges per thread,
   * each task packing its own columns of B and reading A in place (the scalar build packs A whole
   * first, its row panels split among the threads). When C is too narrow for whole columns, tasks
   * are column and row ranges, and B is packed whole before them.
   */
  private sharedGemm(
    pool: ThreadPool,
    pa: number,
    pb: number,
    pc: number,
    m: number,
    n: number,
    k: number,
    lda: number,
    ldb: number,
    ldc: number,
    ta: number,
    tb: number,
    acc: number,
  ): void {
    const kernels = this.kernels;
    const floatsA = kernels.sharedGemmReadsA() ? 0 : kernels.packedAFloats(m, k),
      floatsB = kernels.packedBFloats(n, k);
    this.reservePacked((floatsA + floatsB) * 4);
    const threads = pool.threads;
    const panelsA = Math.ceil(m / kernels.microRows()),
      panelsB = Math.ceil(n / NR_PANEL);
    const wanted = threads * TILE_TASKS_PER_THREAD;
    const colChunks = Math.min(panelsB, wanted);
    const rowChunks = Math.min(panelsA, Math.ceil(wanted / colChunks));
    // Tile tasks that span all rows pack their own columns of B; narrower ones share B packed first.
    const packA = kernels.sharedGemmReadsA() ? 0 : Math.min(threads, panelsA);
    const packB = rowChunks === 1 ? 0 : Math.min(threads, panelsB);
    const tasks = packA + packB + colChunks * rowChunks;
    check(
      tasks <= MAX_TASKS,
      ConfigError,
      () => `wasm backend: a ${m}×${n}×${k} product needs ${tasks} tasks, more than ${MAX_TASKS}`,
    );
    const packedA = this.packed,
      packedB = this.packed + floatsA * 4;
    pool.run(
      'gemm',
      {
        a: pa,
        b: pb,
        c: pc,
        m,
        n,
        k,
        lda,
        ldb,
        ldc,
        transA: ta,
        transB: tb,
        accumulate: acc,
        packedA,
        packedB,
        packTasksA: packA,
        packTasksB: packB,
        colChunks,
        rowChunks,
      },
      tasks,
      packA + packB,
    );
  }

  /** Makes the packing buffer at least `bytes` long (it only grows, so a training loop allocates it once). */
  private reservePacked(bytes: number): void {
    if (bytes <= this.packedBytes) return;
    if (this.packedBytes > 0) this.heap.release(this.packed);
    this.packed = this.heap.alloc(bytes);
    this.packedBytes = bytes;
  }
}

/**
 * Cuts `length` elements into a few tasks per thread, each a multiple of `unit` elements (default
 * sixteen floats, a 64-byte line; 32 for dropout, a mask group): [elements per task, tasks].
 */
function chunks(pool: ThreadPool, length: number, unit = 16): [number, number] {
  const chunk = Math.ceil(length / (pool.threads * CHUNK_TASKS_PER_THREAD) / unit) * unit;
  return [chunk, Math.ceil(length / chunk)];
}

/** Cuts `rows` rows into a few tasks per thread: [rows per task, tasks]. */
function rowChunks(pool: ThreadPool, rows: number): [number, number] {
  const chunk = Math.ceil(rows / (pool.threads * CHUNK_TASKS_PER_THREAD));
  return [chunk, Math.ceil(rows / chunk)];
}

/**
 * Creates a WASM backend with the fastest build this runtime supports. Call `dispose()` to stop its
 * threads. Throws a ConfigError without WebAssembly, for an unsupported `build`, a thread count that
 * is not a positive integer or memoryMiB outside (0, 2048].
 *
 * @example
 * const backend = await createWasmBackend({ threads: 4 });
 * const model = Sequential.mlp({ inputs: 784, hidden: [128], outputs: 10, task: 'classification', backend });
 * // … train …
 * model.dispose(); backend.dispose();
 */
export function createWasmBackend(options?: WasmBackendOptions): Promise<WasmBackend> {
  return WasmBackend.create(options);
}
