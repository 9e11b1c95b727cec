// The blas backend: the WASM backend with its matrix products handed to the system's BLAS (OpenBLAS,
// Accelerate, ...), which runs them at native speed on the same buffers; the element-wise, loss and
// optimiser kernels stay the WASM ones.

import { ConfigError, check, ShapeError } from '../../core/errors.js';
import type { FloatArray } from '../../core/tensor.js';
import type { GemmOptions } from '../backend.js';
import { wasmSupport } from '../wasm/support.js';
import { WasmBackend, type WasmBackendOptions } from '../wasm/wasm-backend.js';
import { type BlasLibrary, CBLAS_NO_TRANS, CBLAS_ROW_MAJOR, CBLAS_TRANS, loadBlas } from './library.js';

/** How createBlasBackend builds the backend: the WASM options plus the BLAS library and its threads. */
export interface BlasBackendOptions extends Omit<WasmBackendOptions, 'threads'> {
  /**
   * Threads for the products, given to the library where it has a setting for it (OpenBLAS's
   * openblas_set_num_threads; reference BLAS runs on one, Accelerate decides itself); products of
   * fewer than 2^21 multiply-adds run on one. Default: the core count, at most 8.
   */
  threads?: number;
  /**
   * The BLAS library: a path or a name the dynamic loader finds. Default: the BACKPROP_BLAS
   * environment variable, else libopenblas.so.0, libblas.so.3 (Linux), Accelerate (macOS).
   */
  library?: string;
}

/** The thread count last given to each library: the setting is global to the process, shared by every backend over it. */
const threadsSet = new WeakMap<BlasLibrary, number>();

const MAX_DEFAULT_THREADS = 8;
/**
 * Below this many multiply-adds (m·n·k) a product runs on one BLAS thread: it takes tens of
 * microseconds, about what handing half of it to a second thread and waiting for it costs.
 * OpenBLAS's own cut-off (2^18) leaves e.g. the output layer at inference (1000×10×128) on two
 * threads, where it ran at half the speed of one.
 */
const MULTI_THREAD_MIN_MACS = 1 << 21;

/**
 * WASM kernels with cblas_sgemm for the products. BLAS reads and writes the WASM memory in place
 * (koffi passes a typed array's address), so a product costs no copy. The products run on
 * `blasThreads` threads and the WASM kernels (element-wise, loss, optimiser steps: a small share of
 * a step) on the calling thread: WASM workers would spin between operations next to the library's
 * own threads, and two thread pools on the same cores slow each other down.
 *
 * @example
 * const blas = await createBlasBackend({ threads: 2 });
 * const a = blas.allocFloat32(6), b = blas.allocFloat32(6), c = blas.allocFloat32(4);
 * a.set([1, 2, 3, 4, 5, 6]); b.set([1, 0, 0, 1, 1, 1]);
 * blas.gemm(a, b, c, { m: 2, n: 2, k: 3 }); // c = [4, 5, 10, 11]
 * blas.dispose();
 */
export class BlasBackend extends WasmBackend {
  override readonly name = 'blas' as const;
  /** Set by create right after construction (the WASM factory builds the instance). */
  private blas!: BlasLibrary;
  private productThreads = 1;

  /** Loads the BLAS library, then the WASM kernels; see createBlasBackend. */
  static override async create(options: BlasBackendOptions = {}): Promise<BlasBackend> {
    const wanted = options.threads ?? Math.min((await wasmSupport()).cores, MAX_DEFAULT_THREADS);
    check(
      Number.isInteger(wanted) && wanted >= 1,
      ConfigError,
      () => `blas backend: threads must be a positive integer, got ${wanted}`,
    );
    const blas = await loadBlas(options.library);
    // WasmBackend.create constructs `new this(...)`, so called through this class it builds a BlasBackend.
    const backend = (await super.create({ ...options, threads: 1 })) as BlasBackend;
    backend.blas = blas;
    backend.productThreads = wanted;
    return backend;
  }

  /** Threads of the products; `threads` (from WasmBackend) is 1, the WASM kernels' thread. */
  get blasThreads(): number {
    return this.productThreads;
  }

  /** Where the BLAS library was loaded from. */
  get library(): string {
    return this.blas.path;
  }

  /** OpenBLAS's build and chosen kernel ('' for other libraries). */
  get libraryConfig(): string {
    return this.blas.config;
  }

  override gemm(a: FloatArray, b: FloatArray, c: FloatArray, options: GemmOptions): void {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) {
      super.gemm(a, b, c, options);
      return;
    }
    const { m, n, k, transA = false, transB = false, accumulate = false } = options;
    // Native code trusts these sizes: a short array would be read or written past its end.
    check(
      Number.isInteger(m) && Number.isInteger(n) && Number.isInteger(k) && m >= 0 && n >= 0 && k >= 0,
      ShapeError,
      () => `blas gemm: dimensions must be non-negative integers, got m=${m}, n=${n}, k=${k}`,
    );
    check(
      a.length >= m * k && b.length >= k * n && c.length >= m * n,
      ShapeError,
      () =>
        `blas gemm: a ${m}×${n}×${k} product needs A ≥ ${m * k}, B ≥ ${k * n}, C ≥ ${m * n} floats, got ${a.length}, ${b.length}, ${c.length}`,
    );
    if (m === 0 || n === 0) return;
    if (k === 0) {
      // An empty sum; BLAS would reject the leading dimension 0.
      if (!accumulate) c.fill(0, 0, m * n);
      return;
    }
    const blas = this.blas;
    const threads = m * n * k < MULTI_THREAD_MIN_MACS ? 1 : this.productThreads;
    if (blas.setThreads !== null && threadsSet.get(blas) !== threads) {
      blas.setThreads(threads);
      threadsSet.set(blas, threads);
    }
    // beta = 0 overwrites C without reading it, as the WASM kernel does.
    blas.sgemm(
      CBLAS_ROW_MAJOR,
      transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
      transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
      m,
      n,
      k,
      1,
      a,
      transA ? m : k,
      b,
      transB ? k : n,
      accumulate ? 1 : 0,
      c,
      n,
    );
  }
}

/**
 * Creates a blas backend: the system's BLAS for the products, the WASM kernels for the rest. Throws a
 * ConfigError when koffi (an optional dependency) or the library cannot be loaded. Call `dispose()`
 * to stop its WASM threads.
 */
export function createBlasBackend(options?: BlasBackendOptions): Promise<BlasBackend> {
  return BlasBackend.create(options);
}
