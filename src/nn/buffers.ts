// Reusable [m, n] work buffers: allocated once for the largest batch, viewed for smaller ones.
import type { Backend } from '../backend/backend.js';
import { Tensor, allocate, type DType, type FloatArray } from '../core/tensor.js';

/**
 * A growable matrix buffer. `view(m)` returns an [m, n] tensor over the same memory, cached per m,
 * so a steady-state training loop allocates nothing.
 */
export class MatrixBuffer {
  private storage: FloatArray | null = null;
  private views = new Map<number, Tensor>();

  constructor(private readonly n: number, private readonly dtype: DType, private readonly backend: Backend) {}

  view(m: number): Tensor {
    const cached = this.views.get(m);
    if (cached) return cached;
    const needed = m * this.n;
    if (this.storage === null || this.storage.length < needed) {
      this.storage = this.dtype === 'float32' ? this.backend.allocFloat32(needed) : allocate('float64', needed);
      this.views.clear();
    }
    // Keep at most a few batch sizes (the full batch and the last, smaller one).
    if (this.views.size >= 4) this.views.clear();
    const t = new Tensor(this.storage.subarray(0, needed), [m, this.n]);
    this.views.set(m, t);
    return t;
  }
}

/** A parameter-sized buffer in the backend's memory. */
export function allocParam(shape: readonly number[], dtype: DType, backend: Backend): Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return new Tensor(dtype === 'float32' ? backend.allocFloat32(size) : allocate('float64', size), shape);
}
