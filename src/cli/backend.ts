// Picks the compute backend named by --backend: blas (the system's BLAS for the products, WASM for the
// rest), wasm (SIMD kernels on threads), js (the reference), or auto, the first of those that loads here.
import { basename } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import {
  BACKEND_NAMES,
  type Backend,
  type BackendChoice,
  BlasBackend,
  ConfigError,
  createBackend,
  type NodeBackend,
  WasmBackend,
} from '../node.js';

export type BackendName = 'js' | 'wasm' | 'blas';
export const BACKEND_CHOICES = BACKEND_NAMES;

/** The --backend help of train, eval and predict. */
export const BACKEND_HELP =
  'compute backend: blas (the system BLAS, e.g. OpenBLAS, for the products and WASM for the rest; needs the optional package koffi), ' +
  'wasm (WebAssembly SIMD on threads), js (plain TypeScript, the slow reference), auto (the first of blas, wasm, js that loads)';

export interface SelectedBackend {
  name: BackendName;
  /** What the backend runs on: the BLAS library, the WASM kernel build (relaxed, simd, scalar) and threads, or 'reference'. */
  detail: string;
  backend: Backend;
  /** Stops the backend's worker threads (blas, wasm); a no-op for js. */
  dispose(): void;
}

let relaxedEnabled = false;

/** Node 20 ships relaxed SIMD (fused multiply-add) behind a flag; the CLI is its own process, so it turns it on. */
function enableRelaxedSimd(): void {
  if (relaxedEnabled) return;
  relaxedEnabled = true;
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    // An engine without the flag keeps the plain SIMD build, which the backend chooses by itself.
  }
}

const INSTEAD: Record<'blas' | 'wasm', string> = { blas: 'wasm', wasm: 'js' };

export async function selectBackend(name: string): Promise<SelectedBackend> {
  if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(`--backend: unknown backend '${name}'; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
  const choice = name as BackendChoice;
  if (choice !== 'js') enableRelaxedSimd();
  let backend: NodeBackend;
  try {
    backend = await createBackend(choice);
  } catch (e) {
    const which = choice as 'blas' | 'wasm';
    const why = (e as Error).message.split('\n')[0]!;
    const message =
      which === 'blas' ? why.replace(/^blas backend: /, '') : `the WebAssembly backend failed to load (${why})`;
    throw new ConfigError(`--backend ${which}: ${message}; use --backend ${INSTEAD[which]}`);
  }
  if (!(backend instanceof WasmBackend)) return { name: 'js', detail: 'reference', backend, dispose: () => {} };
  const threaded = backend;
  const count = (n: number): string => `${n} thread${n === 1 ? '' : 's'}`;
  const detail =
    threaded instanceof BlasBackend
      ? `${basename(threaded.library)} on ${count(threaded.blasThreads)}, ${threaded.build}`
      : `${threaded.build}, ${count(threaded.threads)}`;
  return { name: threaded.name, detail, backend: threaded, dispose: () => threaded.dispose() };
}
