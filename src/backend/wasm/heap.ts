// A first-fit free-list allocator over a WebAssembly.Memory, so that buffers the kernels work on
// (weights, gradients, activations, scratch) live inside the memory the kernels address.
import { ConfigError, check } from '../../core/errors.js';

const PAGE = 65536;
/** Cache-line alignment keeps SIMD loads from straddling lines at row starts. */
const ALIGN = 64;
/** Bytes below this belong to the module's own static data (AssemblyScript places it at 1024). */
export const HEAP_START = PAGE;

interface Block {
  offset: number;
  size: number;
}

export class Heap {
  /** Every buffer object the memory has had: views made before a growth keep the older object. */
  private readonly buffers = new Set<ArrayBufferLike>();
  private readonly live = new Map<number, number>();
  private readonly free: Block[] = [];
  private top = HEAP_START;

  constructor(
    readonly memory: WebAssembly.Memory,
    /** Unshared memory detaches its old views when it grows, so it must not grow. */
    private readonly growable: boolean,
  ) {
    this.buffers.add(memory.buffer);
  }

  /** Returns the byte offset of `bytes` zeroed bytes, aligned to 64. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const block = this.free[i]!;
      if (block.size < size) continue;
      const offset = block.offset;
      if (block.size === size) this.free.splice(i, 1);
      else {
        block.offset += size;
        block.size -= size;
      }
      new Uint8Array(this.memory.buffer, offset, size).fill(0);
      this.live.set(offset, size);
      return offset;
    }
    const offset = this.top;
    this.ensure(offset + size);
    this.top = offset + size;
    this.live.set(offset, size);
    return offset;
  }

  /** Gives back a block returned by alloc; neighbours merge so the list stays short. */
  release(offset: number): void {
    const size = this.live.get(offset);
    check(size !== undefined, ConfigError, () => `wasm heap: ${offset} is not the start of a live allocation`);
    this.live.delete(offset);
    let i = 0;
    while (i < this.free.length && this.free[i]!.offset < offset) i++;
    this.free.splice(i, 0, { offset, size });
    const next = this.free[i + 1];
    if (next && offset + size === next.offset) {
      this.free[i]!.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev && prev.offset + prev.size === offset) {
      prev.size += this.free[i]!.size;
      this.free.splice(i, 1);
    }
    // A free block at the top goes back to the bump pointer.
    const last = this.free[this.free.length - 1];
    if (last && last.offset + last.size === this.top) {
      this.top = last.offset;
      this.free.pop();
      // Memory above the top may be reused by the bump path without zeroing: clear it now.
      new Uint8Array(this.memory.buffer, last.offset, last.size).fill(0);
    }
  }

  /** True when `array` is a view of this memory (then its byteOffset is its address). */
  contains(array: ArrayBufferView): boolean {
    return this.buffers.has(array.buffer);
  }

  get bytesInUse(): number {
    let total = 0;
    for (const size of this.live.values()) total += size;
    return total;
  }

  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    check(
      this.growable,
      ConfigError,
      () =>
        `wasm backend: needs ${Math.ceil(end / 2 ** 20)} MiB but its unshared memory has ${have / 2 ** 20} MiB and cannot grow without invalidating existing buffers; create the backend with a larger memoryMiB`,
    );
    // Grow geometrically so that many small allocations do not each grow the memory.
    const pages = Math.max(Math.ceil((end - have) / PAGE), Math.ceil(have / PAGE / 2));
    try {
      this.memory.grow(pages);
    } catch {
      this.memory.grow(Math.ceil((end - have) / PAGE));
    }
    this.buffers.add(this.memory.buffer);
  }
}
