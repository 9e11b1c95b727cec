// backprop's backends as the benchmark runs them: one entry per backend, each creating the backend
// and describing its configuration for the table. Adding a backend to `npm run bench` is one entry
// here and one in SYSTEMS (bench/train.ts).
import type { Backend } from '../src/index.js';

export interface BenchBackend {
  backend: Backend;
  /** How the table names this configuration, e.g. "wasm (2 threads, relaxed SIMD)". */
  label: string;
  dispose(): void;
}

export const BACKENDS: Record<string, (threads: number) => Promise<BenchBackend>> = {
  js: async () => {
    const { referenceBackend } = await import('../src/backend/reference/reference.js');
    return { backend: referenceBackend, label: 'js (reference, 1 thread)', dispose: () => {} };
  },
  wasm: async (threads) => {
    const { createWasmBackend } = await import('../src/backend/wasm/wasm-backend.js');
    const wasm = await createWasmBackend({ threads });
    return {
      backend: wasm,
      label: `wasm (${wasm.threads} thread${wasm.threads > 1 ? 's' : ''}, ${wasm.build} build)`,
      dispose: () => wasm.dispose(),
    };
  },
  // The system's BLAS (through koffi) for the products, the wasm kernels for the rest.
  blas: async (threads) => {
    const { createBlasBackend } = await import('../src/backend/blas/blas-backend.js');
    const blas = await createBlasBackend({ threads });
    return {
      backend: blas,
      label: `blas (${blas.library}, ${blas.blasThreads} BLAS thread${blas.blasThreads > 1 ? 's' : ''}; wasm ${blas.build} kernels)`,
      dispose: () => blas.dispose(),
    };
  },
};
