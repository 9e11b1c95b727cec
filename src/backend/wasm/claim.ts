// The claim loop that every thread runs over an operation's tasks: the coordinator (pool.ts) and
// each worker (worker.ts). Workers are bundled from worker.ts at build time, so this is their code too.
import type { KernelExports } from './exports.js';
import { SLOT } from './protocol.js';

/** A claim tag no generation uses: set while the parameters are being rewritten. */
export const CLOSED_TAG = 0x8000;
/** Tasks are claimed as the low 16 bits of the claim slot. */
export const MAX_TASKS = 0xffff;
/**
 * How long an idle thread polls before sleeping in Atomics.wait: a wake-up from wait costs tens of
 * microseconds, as much as a small product, and a training step issues its operations less than a
 * millisecond apart.
 */
export const SPIN_MS = 2;

/** The claim tag of generation `generation`. */
export function generationTag(generation: number): number {
  return generation & 0x7fff;
}

/**
 * Claims and runs tasks of the operation tagged `tag` (control block `ctl` at byte address
 * `control`) until none are left; tasks from the barrier on wait until every earlier task is done.
 * `notify`: wake a coordinator sleeping on the done count (workers do; the coordinator need not).
 */
export function claimTasks(
  ctl: Int32Array,
  control: number,
  tag: number,
  kernels: KernelExports,
  scratch: number,
  notify: boolean,
): void {
  for (;;) {
    const claim = Atomics.load(ctl, SLOT.Claim);
    if (claim >>> 16 !== tag || (claim & 0xffff) >= ctl[SLOT.Tasks]!) return;
    if (Atomics.compareExchange(ctl, SLOT.Claim, claim, claim + 1) !== claim) continue;
    const task = claim & 0xffff;
    const barrier = ctl[SLOT.Barrier]!;
    // Waiting for the packing tasks is short: they are claimed first and are small.
    if (task >= barrier) while (Atomics.load(ctl, SLOT.Done) < barrier);
    kernels.runTask(control, task, scratch);
    Atomics.add(ctl, SLOT.Done, 1);
    if (notify) Atomics.notify(ctl, SLOT.Done);
  }
}

/** Polls `ctl[index]` while it equals `value`, then sleeps in Atomics.wait (up to `timeoutMs` per wait) if it has not changed after SPIN_MS. */
export function waitWhileEqual(ctl: Int32Array, index: number, value: number, timeoutMs: number): void {
  let polls = 0;
  let since = performance.now();
  while (Atomics.load(ctl, index) === value) {
    if ((++polls & 1023) === 0 && performance.now() - since > SPIN_MS) {
      Atomics.wait(ctl, index, value, timeoutMs);
      since = performance.now();
    }
  }
}
