// Worker threads that share the kernels' memory and claim tasks of one operation (a GEMM, an Adam
// step) alongside the caller.

import { CLOSED_TAG, claimTasks, generationTag, SPIN_MS } from './claim.js';
import type { KernelExports } from './exports.js';
import { WORKER_SOURCE } from './generated/worker.js';
import { type ParamType, SLOT, TASKS, type TaskName, type TaskParams } from './protocol.js';
import { isNode } from './support.js';
import type { WorkerData } from './worker.js';

export { MAX_TASKS } from './claim.js';

/** The part of a worker that the pool uses: Node's worker_threads.Worker and the browser Worker both fit. */
interface WorkerHandle {
  terminate(): unknown;
}

/** Where each parameter of a task kind goes: slot number and whether it is a float. */
type ParamLayout = readonly { name: string; slot: number; float: boolean }[];

function layout(params: Readonly<Record<string, ParamType>>): ParamLayout {
  return Object.entries(params).map(([name, type], i) => ({ name, slot: SLOT.Params + i, float: type === 'f32' }));
}

const LAYOUTS = {} as Record<TaskName, ParamLayout>;
for (const kind of Object.keys(TASKS) as TaskName[]) LAYOUTS[kind] = layout(TASKS[kind].params);

export class ThreadPool {
  private closed = false;
  /** Float view of the same slots, for floating-point parameters. */
  private readonly floatSlots: Float32Array;

  private constructor(
    private readonly workers: WorkerHandle[],
    /** The control block: SLOT numbers index it. */
    private readonly slots: Int32Array,
    /** Byte address of the control block, which the kernels' runTask reads. */
    private readonly address: number,
    private readonly kernels: KernelExports,
    /** This thread's scratch area. */
    private readonly scratch: number,
  ) {
    this.floatSlots = new Float32Array(slots.buffer, slots.byteOffset, slots.length);
  }

  /** Bytes of the control block for `workers` workers (allocate it in the shared memory). */
  static controlBytes(workers: number): number {
    return (SLOT.ScratchBase + workers) * 4;
  }

  /**
   * Starts one worker per entry of `scratch` (their scratch addresses) over `memory`; resolves once
   * each has instantiated the kernels. `ownScratch` is the calling thread's.
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    kernels: KernelExports,
    control: number,
    ownScratch: number,
    scratch: readonly number[],
  ): Promise<ThreadPool> {
    const slots = SLOT.ScratchBase + scratch.length;
    const ctl = new Int32Array(memory.buffer, control, slots);
    scratch.forEach((address, w) => (ctl[SLOT.ScratchBase + w] = address));
    const workers = await Promise.all(scratch.map((_, index) => spawn({ module, memory, control, index, slots })));
    return new ThreadPool(workers, ctl, control, kernels, ownScratch);
  }

  /** Threads that run an operation: the workers and the caller. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs tasks 0..tasks−1 of `kind` with `params` on this thread and the workers; tasks from
   * `barrier` on wait until all earlier tasks are done. Returns when all are.
   */
  run<K extends TaskName>(kind: K, params: TaskParams<K>, tasks: number, barrier = 0): void {
    const ctl = this.slots;
    // Close claims while the parameters are rewritten: a worker still leaving the previous
    // operation must not claim a task of this one with half its parameters.
    Atomics.store(ctl, SLOT.Claim, CLOSED_TAG << 16);
    const values = params as Record<string, number>;
    for (const { name, slot, float } of LAYOUTS[kind]) {
      if (float) this.floatSlots[slot] = values[name]!;
      else ctl[slot] = values[name]!;
    }
    ctl[SLOT.Kind] = TASKS[kind].code;
    ctl[SLOT.Tasks] = tasks;
    ctl[SLOT.Barrier] = barrier;
    Atomics.store(ctl, SLOT.Done, 0);
    const generation = (ctl[SLOT.Generation]! + 1) | 0;
    const tag = generationTag(generation);
    Atomics.store(ctl, SLOT.Claim, tag << 16);
    Atomics.store(ctl, SLOT.Generation, generation);
    Atomics.notify(ctl, SLOT.Generation);

    claimTasks(ctl, this.address, tag, this.kernels, this.scratch, false);

    // The workers hold the last tasks: poll while they finish, sleep if one was descheduled.
    let polls = 0;
    const since = performance.now();
    for (;;) {
      const done = Atomics.load(ctl, SLOT.Done);
      if (done === tasks) return;
      if ((++polls & 1023) === 0 && performance.now() - since > SPIN_MS) Atomics.wait(ctl, SLOT.Done, done, 1);
    }
  }

  /** Stops the workers; the pool cannot be used afterwards. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const ctl = this.slots;
    Atomics.store(ctl, SLOT.Claim, CLOSED_TAG << 16);
    Atomics.store(ctl, SLOT.Quit, 1);
    Atomics.add(ctl, SLOT.Generation, 1);
    Atomics.notify(ctl, SLOT.Generation);
    for (const worker of this.workers) void worker.terminate();
  }
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
      worker.once('message', (message: string) =>
        message === 'ready' ? resolve() : reject(new Error(`wasm worker: ${message}`)),
      );
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
