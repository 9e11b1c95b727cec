// Picks the compute backend named by --backend: wasm (SIMD kernels on threads), js (the reference), or
// auto, the fastest that loads here.
import { setFlagsFromString } from 'node:v8';
import { ConfigError, createWasmBackend, referenceBackend, type Backend } from '../node.js';

export type BackendName = 'js' | 'wasm';
export const BACKEND_CHOICES = ['auto', 'wasm', 'js'] as const;

export interface SelectedBackend {
  name: BackendName;
  /** The kernel build the wasm backend chose (relaxed, simd, scalar), or 'reference'. */
  detail: string;
  backend: Backend;
  /** Stops the backend's worker threads (wasm); a no-op for js. */
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

export async function selectBackend(name: string): Promise<SelectedBackend> {
  const js: SelectedBackend = { name: 'js', detail: 'reference', backend: referenceBackend, dispose: () => {} };
  switch (name) {
    case 'js':
      return js;
    case 'wasm':
    case 'auto': {
      enableRelaxedSimd();
      try {
        const wasm = await createWasmBackend();
        return { name: 'wasm', detail: `${wasm.build}, ${wasm.threads} thread${wasm.threads === 1 ? '' : 's'}`, backend: wasm, dispose: () => wasm.dispose() };
      } catch (e) {
        if (name === 'auto') return js;
        throw new ConfigError(`--backend wasm: the WebAssembly backend failed to load (${(e as Error).message.split('\n')[0]}); use --backend js`);
      }
    }
    default:
      throw new ConfigError(`--backend: unknown backend '${name}'; expected one of ${BACKEND_CHOICES.join(', ')}`);
  }
}
