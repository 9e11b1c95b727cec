// Worker threads that share the kernels' memory and claim tasks of one operation (a GEMM, an Adam
// step) alongside the caller.
import type { KernelExports } from './exports.js';
import { isNode } from './support.js';
import { CLOSED_TAG, SPIN_MS, Slot, WORKER_SOURCE } from './worker-source.js';

/** The part of a worker that the pool uses: Node's worker_threads.Worker and the browser Worker both fit. */
interface WorkerHandle {
  terminate(): unknown;
}

/** Tasks are claimed as the low 16 bits of the claim slot. */
export const MAX_TASKS = 0xffff;

export class ThreadPool {
  private closed = false;
  /** Float view of the same slots, for floating-point parameters. */
  readonly floatSlots: Float32Array;

  private constructor(
    private readonly workers: WorkerHandle[],
    /** The control block: Slot numbers index it; parameters go from Slot.Params on. */
    readonly slots: Int32Array,
    /** Byte address of the control block, which the kernels' runTask reads. */
    readonly address: number,
  ) {
    this.floatSlots = new Float32Array(slots.buffer, slots.byteOffset, slots.length);
  }

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
    return new ThreadPool(workers, ctl, control);
  }

  /** Threads that run an operation: the workers and the caller. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Closes claims so that the parameters can be rewritten: a worker still leaving the previous
   * operation must not claim a task of the next one with half its parameters. Call before writing
   * the parameter slots, then `run`.
   */
  prepare(): void {
    Atomics.store(this.slots, Slot.Claim, CLOSED_TAG << 16);
  }

  /**
   * Runs tasks 0..tasks−1 of `kind` (parameters already written after `prepare`) on this thread and
   * the workers; tasks from `barrier` on wait until all earlier tasks are done. Returns when all are.
   */
  run(kernels: KernelExports, scratch: number, kind: number, tasks: number, barrier: number): void {
    const ctl = this.slots;
    ctl[Slot.Kind] = kind;
    ctl[Slot.Tasks] = tasks;
    ctl[Slot.Barrier] = barrier;
    Atomics.store(ctl, Slot.Done, 0);
    const generation = (ctl[Slot.Generation]! + 1) | 0;
    const tag = generation & 0x7fff;
    Atomics.store(ctl, Slot.Claim, tag << 16);
    Atomics.store(ctl, Slot.Generation, generation);
    Atomics.notify(ctl, Slot.Generation);

    for (;;) {
      const claim = Atomics.load(ctl, Slot.Claim);
      if (claim >>> 16 !== tag || (claim & 0xffff) >= tasks) break;
      if (Atomics.compareExchange(ctl, Slot.Claim, claim, claim + 1) !== claim) continue;
      const task = claim & 0xffff;
      if (task >= barrier) while (Atomics.load(ctl, Slot.Done) < barrier);
      kernels.runTask(this.address, task, scratch);
      Atomics.add(ctl, Slot.Done, 1);
    }

    // The workers hold the last tasks: poll while they finish, sleep if one was descheduled.
    let polls = 0;
    const since = performance.now();
    for (;;) {
      const done = Atomics.load(ctl, Slot.Done);
      if (done === tasks) return;
      if ((++polls & 1023) === 0 && performance.now() - since > SPIN_MS) Atomics.wait(ctl, Slot.Done, done, 1);
    }
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = this.slots;
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
