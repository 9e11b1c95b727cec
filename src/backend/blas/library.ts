// Finds the system's BLAS and binds the two functions the blas backend calls, through koffi (a
// foreign-function interface with prebuilt binaries, so nothing is compiled at install).
import { ConfigError } from '../../core/errors.js';

/** CBLAS enumerations (cblas.h). */
export const CBLAS_ROW_MAJOR = 101;
export const CBLAS_NO_TRANS = 111;
export const CBLAS_TRANS = 112;

/** cblas_sgemm(order, transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc). */
export type Sgemm = (
  order: number,
  transA: number,
  transB: number,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
) => void;

/** A loaded BLAS library: the bound cblas_sgemm and its thread controls (see loadBlas). */
export interface BlasLibrary {
  /** The path or name the library was loaded from. */
  readonly path: string;
  /** cblas_sgemm, on float32 arrays (row-major with CBLAS_ROW_MAJOR). */
  readonly sgemm: Sgemm;
  /** Sets the library's thread count (OpenBLAS); null when it has no such call (reference BLAS, Accelerate). */
  readonly setThreads: ((threads: number) => void) | null;
  /** The library's current thread count (OpenBLAS), or null. */
  readonly getThreads: (() => number) | null;
  /** OpenBLAS's build and the kernel it chose (e.g. "OpenBLAS 0.3.21 … Cooperlake"), or '' for other libraries. */
  readonly config: string;
}

/** The parts of koffi used here (its own types are not needed, so builds without it still type-check the same). */
interface Koffi {
  load(path: string): { func(definition: string): (...args: unknown[]) => unknown };
}

/** Libraries tried in order when no path is given: OpenBLAS first (threads, AVX-512 kernels), then whatever provides the BLAS ABI. */
export function defaultLibraries(platform: NodeJS.Platform = process.platform): readonly string[] {
  switch (platform) {
    case 'darwin':
      return [
        '/System/Library/Frameworks/Accelerate.framework/Accelerate',
        'libopenblas.dylib',
        '/opt/homebrew/opt/openblas/lib/libopenblas.dylib',
        '/usr/local/opt/openblas/lib/libopenblas.dylib',
      ];
    case 'win32':
      return ['libopenblas.dll', 'openblas.dll'];
    default:
      return ['libopenblas.so.0', 'libopenblas.so', 'libblas.so.3', 'libcblas.so.3'];
  }
}

let koffiModule: Promise<Koffi | Error> | undefined;

/** koffi is an optional dependency: its absence is an answer (an Error value), not a crash. */
function loadKoffi(): Promise<Koffi | Error> {
  koffiModule ??= (async () => {
    try {
      // A computed specifier keeps bundlers and the type checker from resolving the optional package.
      const specifier = 'koffi';
      const module = (await import(/* @vite-ignore */ specifier)) as Koffi & { default?: Koffi };
      return typeof module.load === 'function' ? module : module.default!;
    } catch (e) {
      return e instanceof Error ? e : new Error(String(e));
    }
  })();
  return koffiModule;
}

const loaded = new Map<string, BlasLibrary>();

/**
 * Loads a BLAS library: `path` (a file or a name the dynamic loader searches), else the
 * BACKPROP_BLAS environment variable, else the first of `defaultLibraries()` that provides
 * cblas_sgemm. Throws a ConfigError naming what was tried and why each failed.
 */
export async function loadBlas(path?: string): Promise<BlasLibrary> {
  const koffi = await loadKoffi();
  if (koffi instanceof Error) {
    throw new ConfigError(
      `blas backend: the optional package koffi did not load (${firstLine(koffi.message)}); install it with \`npm install koffi\``,
    );
  }
  const override = path ?? process.env.BACKPROP_BLAS;
  const candidates = override !== undefined && override !== '' ? [override] : defaultLibraries();
  const failures: string[] = [];
  for (const candidate of candidates) {
    const known = loaded.get(candidate);
    if (known) return known;
    try {
      const library = bind(koffi, candidate);
      loaded.set(candidate, library);
      return library;
    } catch (e) {
      failures.push(`${candidate}: ${firstLine((e as Error).message)}`);
    }
  }
  const source = path !== undefined ? '' : override !== undefined && override !== '' ? ' (from BACKPROP_BLAS)' : '';
  throw new ConfigError(`blas backend: no BLAS library with cblas_sgemm loaded${source}; tried ${failures.join('; ')}`);
}

function bind(koffi: Koffi, path: string): BlasLibrary {
  const lib = koffi.load(path);
  // Plain pointers (no _Out_ marker): koffi passes a typed array's own address, so nothing is copied.
  const sgemm = lib.func(
    'void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc)',
  ) as Sgemm;
  const optional = (definition: string): ((...args: unknown[]) => unknown) | null => {
    try {
      return lib.func(definition);
    } catch {
      return null;
    }
  };
  const setNumThreads = optional('void openblas_set_num_threads(int threads)');
  const getNumThreads = optional('int openblas_get_num_threads()');
  const getConfig = optional('const char *openblas_get_config()');
  return {
    path,
    sgemm,
    setThreads: setNumThreads && ((threads: number) => void setNumThreads(threads)),
    getThreads: getNumThreads && (() => Number(getNumThreads())),
    config: getConfig ? String(getConfig()) : '',
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0]!;
}
