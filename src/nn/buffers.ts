// Buffers in a backend's memory: reusable [m, n] work buffers, parameters and optimiser state. Each
// has one owner that gives it back (`dispose`, `freeTensor`); a FinalizationRegistry gives back the
// memory of owners that are collected without being disposed.
import type { Backend } from '../backend/backend.js';
import { allocate, type DType, type FloatArray, Tensor } from '../core/tensor.js';

/** Memory to give back: a second view of the allocation, so that holding it keeps no owner alive. */
interface Held {
  backend: Backend;
  array: Float32Array | null;
}

function release(held: Held): void {
  if (held.array !== null) held.backend.free(held.array);
  held.array = null;
}

/** Frees the memory of owners that were collected without being disposed. */
const forgotten = new FinalizationRegistry<Held>(release);

/** `length` floats of the backend's memory, given back when `owner` (default: the array) is collected unless released first. */
function allocOwned(backend: Backend, length: number, owner?: object): { array: Float32Array; held: Held } {
  const array = backend.allocFloat32(length);
  const held: Held = { backend, array: new Float32Array(array.buffer, array.byteOffset, array.length) };
  forgotten.register(owner ?? array, held, held);
  return { array, held };
}

function releaseOwned(held: Held): void {
  forgotten.unregister(held);
  release(held);
}

/**
 * A growable matrix buffer. `view(m)` returns an [m, n] tensor over the same memory, cached per m,
 * so a steady-state training loop allocates nothing. Growing gives the old storage back, so views
 * from before a growth must not be used (layers' outputs are valid until their next forward pass).
 */
export class MatrixBuffer {
  private storage: FloatArray | null = null;
  private held: Held | null = null;
  private views = new Map<number, Tensor>();

  constructor(
    private readonly n: number,
    private readonly dtype: DType,
    private readonly backend: Backend,
  ) {}

  view(m: number): Tensor {
    const cached = this.views.get(m);
    if (cached) return cached;
    const needed = m * this.n;
    if (this.storage === null || this.storage.length < needed) {
      this.dispose();
      if (this.dtype === 'float32') {
        const { array, held } = allocOwned(this.backend, needed, this);
        this.storage = array;
        this.held = held;
      } else this.storage = allocate('float64', needed);
    }
    // Keep at most a few batch sizes (the full batch and the last, smaller one).
    if (this.views.size >= 4) this.views.clear();
    const t = new Tensor(this.storage.subarray(0, needed), [m, this.n]);
    this.views.set(m, t);
    return t;
  }

  /** Gives the storage back to the backend; a later `view` allocates anew. */
  dispose(): void {
    if (this.held !== null) releaseOwned(this.held);
    this.held = null;
    this.storage = null;
    this.views.clear();
  }
}

/** Parameter and state arrays and what gives each back. */
const owned = new WeakMap<FloatArray, Held>();

/**
 * A zeroed array of `length` in the backend's memory (float32) or the JS heap (float64), for
 * parameters and optimiser state. Give it back with `freeArray`; if it is dropped instead, the
 * memory is given back when the array is collected.
 */
export function allocArray(length: number, dtype: DType, backend: Backend): FloatArray {
  if (dtype === 'float64') return allocate('float64', length);
  const { array, held } = allocOwned(backend, length);
  owned.set(array, held);
  return array;
}

/** Gives back an array from `allocArray` (float64 arrays and arrays given back already are ignored). */
export function freeArray(array: FloatArray): void {
  const held = owned.get(array);
  if (held === undefined) return;
  owned.delete(array);
  releaseOwned(held);
}

/** A parameter-sized buffer in the backend's memory. */
export function allocParam(shape: readonly number[], dtype: DType, backend: Backend): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(allocArray(size, dtype, backend), shape);
}
