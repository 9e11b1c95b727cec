// The kernel worker's code. scripts/build-wasm.mjs bundles this file (with the claim loop and the
// protocol) into a string, generated/worker.ts's WORKER_SOURCE, so that it starts the same way from
// TypeScript sources, compiled dist/ files and browser bundles: an eval worker in Node, a Blob URL
// in browsers. Each worker instantiates the kernels over the shared memory and claims tasks of the
// operation the coordinating thread describes in the control block.
import { claimTasks, generationTag, waitWhileEqual } from './claim.js';
import type { KernelExports } from './exports.js';
import { SLOT } from './protocol.js';

/** What the pool sends each worker. */
export interface WorkerData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** Byte address of the control block. */
  control: number;
  /** This worker's number: its scratch address is at SLOT.ScratchBase + index. */
  index: number;
  /** Int32 slots in the control block. */
  slots: number;
}

/** Instantiates the kernels, reports 'ready', then serves operations until the pool quits. */
async function serve(data: WorkerData, post: (message: string) => void): Promise<void> {
  const { module, memory, control, index, slots } = data;
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  const kernels = instance.exports as unknown as KernelExports;
  const ctl = new Int32Array(memory.buffer, control, slots);
  const scratch = ctl[SLOT.ScratchBase + index]!;
  // Read the generation before reporting ready: the first operation may be posted right after.
  let seen = Atomics.load(ctl, SLOT.Generation);
  post('ready');
  for (;;) {
    waitWhileEqual(ctl, SLOT.Generation, seen, Infinity);
    seen = Atomics.load(ctl, SLOT.Generation);
    if (ctl[SLOT.Quit] === 1) return;
    claimTasks(ctl, control, generationTag(seen), kernels, scratch, true);
  }
}

function start(data: WorkerData, post: (message: string) => void): void {
  serve(data, post).catch((error: unknown) => post(`error: ${String(error)}`));
}

declare const require: (id: string) => unknown;
// Browsers run this as a Web Worker (WorkerGlobalScope); Node as an eval worker, where require is defined.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope === 'undefined') {
  const threads = require('node:worker_threads') as typeof import('node:worker_threads');
  start(threads.workerData as WorkerData, (message) => threads.parentPort!.postMessage(message));
} else {
  const scope = self as unknown as {
    onmessage: ((event: MessageEvent<WorkerData>) => void) | null;
    postMessage(message: string): void;
  };
  scope.onmessage = (event) => start(event.data, (message) => scope.postMessage(message));
}
