// Creates a backend by name for Node programs: blas (the system's BLAS for products, WASM for the
// rest), wasm, js (the reference), or auto, the first of those that loads here.
import { ConfigError, check } from '../core/errors.js';
import { BlasBackend } from './blas/blas-backend.js';
import { type ReferenceBackend, referenceBackend } from './reference/reference.js';
import { WasmBackend } from './wasm/wasm-backend.js';

/** The names createBackend (and the CLI's --backend) takes. */
export const BACKEND_NAMES = ['auto', 'blas', 'wasm', 'js'] as const;
/** `'auto'`, `'blas'`, `'wasm'` or `'js'`. */
export type BackendChoice = (typeof BACKEND_NAMES)[number];

/** Threads and BLAS library of createBackend. */
export interface CreateBackendOptions {
  /** Threads for the products and the WASM kernels (default: the core count, at most 8). */
  threads?: number;
  /** blas: the BLAS library's path or name (default: BACKPROP_BLAS, else the system's OpenBLAS or BLAS). */
  library?: string;
}

/** What createBackend returns; blas and wasm hold worker threads that `dispose()` stops. */
export type NodeBackend = BlasBackend | WasmBackend | ReferenceBackend;

/**
 * Creates the named backend. `auto` tries blas, then wasm, then js, and returns the first that
 * loads, without an error when koffi or a BLAS library is missing; a named backend that cannot
 * load throws a ConfigError saying why.
 *
 * @example
 * const backend = await createBackend(); // blas where a BLAS library loads, else wasm, else js
 * const model = Sequential.mlp({ inputs: 784, hidden: [256, 128], outputs: 10, task: 'classification', backend });
 */
export async function createBackend(
  name: BackendChoice = 'auto',
  options: CreateBackendOptions = {},
): Promise<NodeBackend> {
  const threads = options.threads;
  check(
    threads === undefined || (Number.isInteger(threads) && threads >= 1),
    ConfigError,
    () => `createBackend: threads must be a positive integer, got ${threads}`,
  );
  switch (name) {
    case 'blas':
      return BlasBackend.create({ threads: options.threads, library: options.library });
    case 'wasm':
      return WasmBackend.create({ threads: options.threads });
    case 'js':
      return referenceBackend;
    case 'auto':
      for (const next of ['blas', 'wasm'] as const) {
        try {
          return await createBackend(next, options);
        } catch {
          // Not loadable here (no koffi, no BLAS library, no WebAssembly): try the next one.
        }
      }
      return referenceBackend;
    default:
      throw new ConfigError(
        `createBackend: unknown backend '${String(name)}'; expected one of ${BACKEND_NAMES.join(', ')}`,
      );
  }
}
