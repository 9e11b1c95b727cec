// Source of the kernel worker as a string, so it loads the same way from TypeScript sources, from
// compiled dist/ files and from a browser bundle: an eval worker in Node, a Blob URL in browsers.
// Each worker instantiates the kernels over the shared memory and helps with the operation the
// coordinating thread describes in a control block of Int32 slots, synchronised with Atomics.

/**
 * Control block slots; asm/tasks.ts reads the operation's kind and parameters at the same numbers.
 * An operation is cut into tasks; every thread, the coordinator included, claims task indices until
 * none are left, so a worker that the OS has descheduled delays the operation by at most the task
 * it holds instead of by its whole share.
 */
export const Slot = {
  /** Incremented for every new operation; workers sleep on it. */
  Generation: 0,
  /** Tasks finished in this generation; the coordinator sleeps on it. */
  Done: 1,
  /** (generation tag << 16) | next task index; claimed with compareExchange. */
  Claim: 2,
  /** 1 asks the workers to stop. */
  Quit: 3,
  /** Tasks in this operation. */
  Tasks: 4,
  /** What the tasks do (TaskKind). */
  Kind: 5,
  /** Tasks from this index on start only when all tasks before it are done (GEMM: tiles after packing). */
  Barrier: 6,
  /** First parameter slot; asm/tasks.ts lists each kind's parameters. */
  Params: 8,
  /** Scratch address of worker w is at ScratchBase + w. */
  ScratchBase: 32,
} as const;

export const TaskKind = {
  Gemm: 1,
  Adam: 2,
  Gather: 3,
  Momentum: 4,
  RmsProp: 5,
} as const;

/** A claim tag no generation uses: set while the parameters are being rewritten. */
export const CLOSED_TAG = 0x8000;
/**
 * How long an idle thread polls before sleeping in Atomics.wait: a wake-up from wait costs tens of
 * microseconds, as much as a small product, and a training step issues its operations less than a
 * millisecond apart (the batch is filled and the loss computed on one thread in between).
 */
export const SPIN_MS = 2;

/** The worker: instantiate, then wait for an operation and claim its tasks (pool.ts runs the same claim loop on the coordinating thread). */
export const WORKER_SOURCE = `
'use strict';
function start(data, post) {
  const { module, memory, control, index, slots } = data;
  WebAssembly.instantiate(module, { env: { memory } }).then((instance) => {
    const k = instance.exports;
    const ctl = new Int32Array(memory.buffer, control, slots);
    const scratch = ctl[${Slot.ScratchBase} + index];
    // Read the generation before reporting ready: the first task may be posted right after.
    let seen = Atomics.load(ctl, ${Slot.Generation});
    post('ready');
    for (;;) {
      let polls = 0;
      let since = performance.now();
      while (Atomics.load(ctl, ${Slot.Generation}) === seen) {
        if ((++polls & 1023) === 0 && performance.now() - since > ${SPIN_MS}) {
          Atomics.wait(ctl, ${Slot.Generation}, seen);
          since = performance.now();
        }
      }
      seen = Atomics.load(ctl, ${Slot.Generation});
      if (ctl[${Slot.Quit}] === 1) return;
      const tag = seen & 0x7fff;
      for (;;) {
        const claim = Atomics.load(ctl, ${Slot.Claim});
        if (claim >>> 16 !== tag || (claim & 0xffff) >= ctl[${Slot.Tasks}]) break;
        if (Atomics.compareExchange(ctl, ${Slot.Claim}, claim, claim + 1) !== claim) continue;
        const task = claim & 0xffff;
        const barrier = ctl[${Slot.Barrier}];
        // Waiting for the packing tasks is short: they are claimed first and are small.
        if (task >= barrier) while (Atomics.load(ctl, ${Slot.Done}) < barrier);
        k.runTask(control, task, scratch);
        Atomics.add(ctl, ${Slot.Done}, 1);
        Atomics.notify(ctl, ${Slot.Done});
      }
    }
  }, (error) => post('error: ' + error));
}
if (typeof require === 'function') {
  const threads = require('node:worker_threads');
  start(threads.workerData, (message) => threads.parentPort.postMessage(message));
} else {
  self.onmessage = (event) => start(event.data, (message) => self.postMessage(message));
}
`;
