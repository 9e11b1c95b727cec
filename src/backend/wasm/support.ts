// What this runtime's WebAssembly can do: which kernel build validates, and whether threads are possible.
import { KERNELS } from './generated/kernels.js';

/** Kernel builds, fastest first: relaxed SIMD (fused multiply-add), plain 128-bit SIMD, scalar. */
export type WasmBuildName = 'relaxed' | 'simd' | 'scalar';

/** Every WasmBuildName, fastest first. */
export const WASM_BUILDS: readonly WasmBuildName[] = ['relaxed', 'simd', 'scalar'];

/** What this runtime's WebAssembly can do (`wasmSupport()`). */
export interface WasmSupport {
  /** WebAssembly itself is available. */
  wasm: boolean;
  /** The 128-bit SIMD build validates. */
  simd: boolean;
  /** The relaxed-SIMD build (fused multiply-add) validates; Node 20 needs --experimental-wasm-relaxed-simd. */
  relaxed: boolean;
  /** Shared WebAssembly memory (SharedArrayBuffer) is available: buffers survive memory growth. */
  sharedMemory: boolean;
  /** Shared memory and blocking waits work here, so kernels can run on worker threads. */
  threads: boolean;
  /** Logical processors the runtime reports (1 when it does not say). */
  cores: number;
}

/** Decodes base64 with the global atob (present in browsers and Node ≥ 16). */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

export function isNode(): boolean {
  return (
    typeof process !== 'undefined' && typeof process.versions === 'object' && typeof process.versions.node === 'string'
  );
}

let cached: WasmSupport | undefined;

/**
 * Probes the runtime once: each build is checked by validating its own binary, so "supported"
 * means exactly "this backend can load it".
 *
 * @example
 * const { relaxed, threads, cores } = await wasmSupport();
 */
export async function wasmSupport(): Promise<WasmSupport> {
  if (cached) return cached;
  const wasm = typeof WebAssembly === 'object' && typeof WebAssembly.validate === 'function';
  const valid = (build: WasmBuildName, memory: 'shared' | 'unshared'): boolean =>
    wasm && WebAssembly.validate(decodeBase64(KERNELS[build][memory]));
  const sharedMemory = valid('scalar', 'shared') && sharedMemoryWorks();
  cached = {
    wasm,
    simd: valid('simd', 'unshared'),
    relaxed: valid('relaxed', 'unshared'),
    sharedMemory,
    threads: sharedMemory && canBlock(),
    cores: await coreCount(),
  };
  return cached;
}

function sharedMemoryWorks(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  // Browsers expose shared memory only to cross-origin isolated pages.
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated;
  if (isolated === false) return false;
  try {
    return new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}

/** The coordinating thread waits with Atomics.wait, which a browser's main (window) thread may not do. */
function canBlock(): boolean {
  if (isNode()) return true;
  return typeof (globalThis as { window?: unknown }).window === 'undefined';
}

async function coreCount(): Promise<number> {
  if (isNode()) {
    // A computed specifier keeps browser bundlers from trying to resolve the Node module.
    const specifier = 'node:os';
    const os = (await import(/* @vite-ignore */ specifier)) as typeof import('node:os');
    return os.availableParallelism();
  }
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  return nav?.hardwareConcurrency ?? 1;
}
