// Source of the kernel worker as a string, so it loads the same way from TypeScript sources, from
// compiled dist/ files and from a browser bundle: an eval worker in Node, a Blob URL in browsers.
// Each worker instantiates the kernels over the shared memory and helps with the GEMM the
// coordinating thread describes in a control block of Int32 slots, synchronised with Atomics.

/**
 * Control block slots. A GEMM is cut into chunks of whole micro-tile columns (or rows); every
 * thread, the coordinator included, claims chunks until none are left, so a worker that the OS has
 * descheduled delays the product by at most the chunk it holds instead of by its whole share.
 */
export const Slot = {
  /** Incremented for every new GEMM; workers sleep on it. */
  Generation: 0,
  /** Chunks finished in this generation; the coordinator sleeps on it. */
  Done: 1,
  /** (generation tag << 16) | next chunk index; claimed with compareExchange. */
  Claim: 2,
  A: 3,
  B: 4,
  C: 5,
  M: 6,
  N: 7,
  K: 8,
  Lda: 9,
  Ldb: 10,
  Ldc: 11,
  TransA: 12,
  TransB: 13,
  Accumulate: 14,
  /** 1: chunks are column ranges of C; 0: row ranges. */
  ByColumns: 15,
  /** Columns (or rows) per chunk. */
  ChunkSize: 16,
  Chunks: 17,
  /** 1 asks the workers to stop. */
  Quit: 18,
  /** Scratch address of worker w is at ScratchBase + w. */
  ScratchBase: 19,
} as const;

/** A claim tag no generation uses: set while the parameters are being rewritten. */
export const CLOSED_TAG = 0x8000;
/**
 * Polls before sleeping in Atomics.wait: a wake-up from wait costs tens of microseconds, as much
 * as a small GEMM, and layers issue their products back to back.
 */
export const SPIN_POLLS = 50000;

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
      while (Atomics.load(ctl, ${Slot.Generation}) === seen) {
        if (++polls > ${SPIN_POLLS}) {
          Atomics.wait(ctl, ${Slot.Generation}, seen);
          polls = 0;
        }
      }
      seen = Atomics.load(ctl, ${Slot.Generation});
      if (ctl[${Slot.Quit}] === 1) return;
      const tag = seen & 0x7fff;
      for (;;) {
        const claim = Atomics.load(ctl, ${Slot.Claim});
        if (claim >>> 16 !== tag || (claim & 0xffff) >= ctl[${Slot.Chunks}]) break;
        if (Atomics.compareExchange(ctl, ${Slot.Claim}, claim, claim + 1) !== claim) continue;
        const chunk = claim & 0xffff;
        const m = ctl[${Slot.M}], n = ctl[${Slot.N}], size = ctl[${Slot.ChunkSize}];
        const lda = ctl[${Slot.Lda}], ldb = ctl[${Slot.Ldb}], ldc = ctl[${Slot.Ldc}];
        const transA = ctl[${Slot.TransA}], transB = ctl[${Slot.TransB}];
        const first = chunk * size;
        if (ctl[${Slot.ByColumns}] === 1) {
          const b = ctl[${Slot.B}] + 4 * (transB ? first * ldb : first);
          k.gemm(ctl[${Slot.A}], b, ctl[${Slot.C}] + 4 * first, m, Math.min(size, n - first), ctl[${Slot.K}], lda, ldb, ldc, transA, transB, ctl[${Slot.Accumulate}], scratch);
        } else {
          const a = ctl[${Slot.A}] + 4 * (transA ? first : first * lda);
          k.gemm(a, ctl[${Slot.B}], ctl[${Slot.C}] + 4 * first * ldc, Math.min(size, m - first), n, ctl[${Slot.K}], lda, ldb, ldc, transA, transB, ctl[${Slot.Accumulate}], scratch);
        }
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
