// Worker threads that share the kernels' memory and claim chunks of one GEMM alongside the caller.
import type { KernelExports } from './exports.js';
import { isNode } from './support.js';
import { CLOSED_TAG, SPIN_POLLS, Slot, WORKER_SOURCE } from './worker-source.js';

/** The part of a worker that the pool uses: Node's worker_threads.Worker and the browser Worker both fit. */
interface WorkerHandle {
  terminate(): unknown;
}

export class ThreadPool {
  private closed = false;

  private constructor(
    private readonly workers: WorkerHandle[],
    private readonly control: Int32Array,
  ) {}

  /** Bytes of the control block for `workers` workers (allocate it in the shared memory). */
  static controlBytes(workers: number): number {
    return (Slot.ScratchBase + workers) * 4;
  }

  /** Starts one worker per scratch area over `memory`; resolves once each has instantiated the kernels. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, control: number, scratch: readonly number[]): Promise<ThreadPool> {
    const slots = Slot.ScratchBase + scratch.length;
    const ctl = new Int32Array(memory.buffer, control, slots);
    scratch.forEach((address, w) => (ctl[Slot.ScratchBase + w] = address));
    const workers = await Promise.all(scratch.map((_, index) => spawn({ module, memory, control, index, slots })));
    return new ThreadPool(workers, ctl);
  }

  get size(): number {
    return this.workers.length;
  }

  /**
   * C = op(A)·op(B) on byte addresses, cut into `chunks` column ranges (or row ranges) of
   * `chunkSize`; this thread and the workers claim chunks until all are done.
   */
  gemm(kernels: KernelExports, scratch: number, a: number, b: number, c: number, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, transA: number, transB: number, accumulate: number, byColumns: boolean, chunkSize: number, chunks: number): void {
    const ctl = this.control;
    // Close claims while the parameters change: a late worker must not mix two products.
    Atomics.store(ctl, Slot.Claim, CLOSED_TAG << 16);
    ctl[Slot.A] = a;
    ctl[Slot.B] = b;
    ctl[Slot.C] = c;
    ctl[Slot.M] = m;
    ctl[Slot.N] = n;
    ctl[Slot.K] = k;
    ctl[Slot.Lda] = lda;
    ctl[Slot.Ldb] = ldb;
    ctl[Slot.Ldc] = ldc;
    ctl[Slot.TransA] = transA;
    ctl[Slot.TransB] = transB;
    ctl[Slot.Accumulate] = accumulate;
    ctl[Slot.ByColumns] = byColumns ? 1 : 0;
    ctl[Slot.ChunkSize] = chunkSize;
    ctl[Slot.Chunks] = chunks;
    Atomics.store(ctl, Slot.Done, 0);
    const generation = (ctl[Slot.Generation]! + 1) | 0;
    const tag = generation & 0x7fff;
    Atomics.store(ctl, Slot.Claim, tag << 16);
    Atomics.store(ctl, Slot.Generation, generation);
    Atomics.notify(ctl, Slot.Generation);

    for (;;) {
      const claim = Atomics.load(ctl, Slot.Claim);
      if (claim >>> 16 !== tag || (claim & 0xffff) >= chunks) break;
      if (Atomics.compareExchange(ctl, Slot.Claim, claim, claim + 1) !== claim) continue;
      const first = (claim & 0xffff) * chunkSize;
      if (byColumns) {
        const bc = b + 4 * (transB ? first * ldb : first);
        kernels.gemm(a, bc, c + 4 * first, m, Math.min(chunkSize, n - first), k, lda, ldb, ldc, transA, transB, accumulate, scratch);
      } else {
        const ar = a + 4 * (transA ? first : first * lda);
        kernels.gemm(ar, b, c + 4 * first * ldc, Math.min(chunkSize, m - first), n, k, lda, ldb, ldc, transA, transB, accumulate, scratch);
      }
      Atomics.add(ctl, Slot.Done, 1);
    }

    let polls = 0;
    for (;;) {
      const done = Atomics.load(ctl, Slot.Done);
      if (done === chunks) return;
      if (++polls > SPIN_POLLS) {
        Atomics.wait(ctl, Slot.Done, done, 100);
        polls = 0;
      }
    }
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = this.control;
    Atomics.store(ctl, Slot.Claim, CLOSED_TAG << 16);
    Atomics.store(ctl, Slot.Quit, 1);
    Atomics.add(ctl, Slot.Generation, 1);
    Atomics.notify(ctl, Slot.Generation);
    for (const worker of this.workers) void worker.terminate();
  }
}

interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: number;
  index: number;
  slots: number;
}

async function spawn(data: WorkerData): Promise<WorkerHandle> {
  if (isNode()) {
    // A computed specifier keeps browser bundlers from trying to resolve the Node module.
    const specifier = 'node:worker_threads';
    const { Worker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: data });
    // An idle pool must not keep the process alive.
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (message: string) => (message === 'ready' ? resolve() : reject(new Error(`wasm worker: ${message}`))));
      worker.once('error', reject);
    });
    return worker;
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<string>) => {
      URL.revokeObjectURL(url);
      if (event.data === 'ready') resolve();
      else reject(new Error(`wasm worker: ${event.data}`));
    };
    worker.onerror = (event) => reject(new Error(`wasm worker: ${event.message}`));
    worker.postMessage(data);
  });
  return worker;
}
