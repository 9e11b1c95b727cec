// One task of a parallel operation, described in a control block of 32-bit slots that the
// coordinating thread fills (src/backend/wasm/tasks.ts holds the same slot numbers). Every thread
// claims task indices and calls runTask, so the parallel part needs no per-kernel code in the workers.
import { MR, NR, gemmPacked, packAPanels, packBPanels } from './gemm';
import { adam, gatherUnitBytes, momentum, rmsprop } from './elementwise';

const KIND = 5;
const GEMM = 1;
const ADAM = 2;
const GATHER = 3;
const MOMENTUM = 4;
const RMSPROP = 5;
// Parameters start at slot 8.
const P = 8;

// @ts-ignore: decorator
@inline
function slot(ctl: usize, i: i32): i32 {
  return load<i32>(ctl + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline
function slotF(ctl: usize, i: i32): f32 {
  return load<f32>(ctl + (<usize>i << 2));
}

/** [start, end) of part `part` when `total` items are cut into `parts` near-equal parts. */
// @ts-ignore: decorator
@inline
function partStart(total: i32, parts: i32, part: i32): i32 {
  return <i32>((<i64>total * part) / parts);
}

/** Runs task `index` of the operation in the control block at `ctl`; `scratch` is this thread's. */
export function runTask(ctl: usize, index: i32, scratch: usize): void {
  const kind = slot(ctl, KIND);
  if (kind == GEMM) runGemmTask(ctl, index, scratch);
  else if (kind == ADAM) runAdamTask(ctl, index);
  else if (kind == GATHER) runGatherTask(ctl, index);
  else if (kind == MOMENTUM) runMomentumTask(ctl, index);
  else if (kind == RMSPROP) runRmsPropTask(ctl, index);
}

// GEMM slots: a, b, c, m, n, k, lda, ldb, ldc, transA, transB, accumulate, packedA, packedB,
// packTasksA, packTasksB, colChunks, rowChunks. Tasks: packing A (none when the tiles read A in
// place), packing B (none when every tile task spans all rows and packs its own columns), then the
// tiles (the coordinator makes them wait until packing is done).
function runGemmTask(ctl: usize, index: i32, scratch: usize): void {
  const m = slot(ctl, P + 3), n = slot(ctl, P + 4), k = slot(ctl, P + 5);
  const packedA = <usize>slot(ctl, P + 12), packedB = <usize>slot(ctl, P + 13);
  const packA = slot(ctl, P + 14), packB = slot(ctl, P + 15);
  const panelsA = (m + MR - 1) / MR, panelsB = (n + NR - 1) / NR;
  if (index < packA) {
    packAPanels(<usize>slot(ctl, P), slot(ctl, P + 6), slot(ctl, P + 9) != 0, m, k, packedA, partStart(panelsA, packA, index), partStart(panelsA, packA, index + 1));
    return;
  }
  index -= packA;
  if (index < packB) {
    packBPanels(<usize>slot(ctl, P + 1), slot(ctl, P + 7), slot(ctl, P + 10) != 0, n, k, packedB, partStart(panelsB, packB, index), partStart(panelsB, packB, index + 1));
    return;
  }
  index -= packB;
  const colChunks = slot(ctl, P + 16), rowChunks = slot(ctl, P + 17);
  const cj = index / rowChunks, ci = index % rowChunks;
  const j0 = partStart(panelsB, colChunks, cj), j1 = partStart(panelsB, colChunks, cj + 1);
  // Without B packing tasks each tile task owns whole columns and packs its own B panels, on the
  // thread (and into the cache) that uses them.
  if (packB == 0) packBPanels(<usize>slot(ctl, P + 1), slot(ctl, P + 7), slot(ctl, P + 10) != 0, n, k, packedB, j0, j1);
  // With no A packing tasks A is read in place (packedA = 0).
  gemmPacked(packA == 0 ? 0 : packedA, <usize>slot(ctl, P), slot(ctl, P + 6), slot(ctl, P + 9) != 0, packedB, <usize>slot(ctl, P + 2), slot(ctl, P + 8), m, n, k, slot(ctl, P + 11) != 0,
    partStart(panelsA, rowChunks, ci), partStart(panelsA, rowChunks, ci + 1), j0, j1, scratch);
}

// Optimiser steps keep the length at P + 4 and the weights per task at P + 5; task i updates
// weights [i·chunk, min((i + 1)·chunk, length)).

/** Weights task `index` updates (≤ 0 for a task past the end). */
// @ts-ignore: decorator
@inline
function weightCount(ctl: usize, index: i32): i32 {
  const chunk = slot(ctl, P + 5);
  return min(chunk, slot(ctl, P + 4) - index * chunk);
}

/** Byte offset of task `index`'s first weight in each array. */
// @ts-ignore: decorator
@inline
function weightOffset(ctl: usize, index: i32): usize {
  return <usize>(index * slot(ctl, P + 5)) << 2;
}

// Adam slots: w, g, m, v, length, chunk (weights per task), then as f32: beta1, beta2, 1 − beta1,
// 1 − beta2, eps, stepSize, sqrtBc2, decay, l2.
function runAdamTask(ctl: usize, index: i32): void {
  const count = weightCount(ctl, index);
  if (count <= 0) return;
  const o = weightOffset(ctl, index);
  adam(<usize>slot(ctl, P) + o, <usize>slot(ctl, P + 1) + o, <usize>slot(ctl, P + 2) + o, <usize>slot(ctl, P + 3) + o, count,
    slotF(ctl, P + 6), slotF(ctl, P + 7), slotF(ctl, P + 8), slotF(ctl, P + 9), slotF(ctl, P + 10), slotF(ctl, P + 11), slotF(ctl, P + 12), slotF(ctl, P + 13), slotF(ctl, P + 14));
}

// Gather slots: bytes, rows (int32 row numbers), count, n (bytes per row), out, chunk (rows per task).
function runGatherTask(ctl: usize, index: i32): void {
  const count = slot(ctl, P + 2), n = slot(ctl, P + 3), chunk = slot(ctl, P + 5);
  const first = index * chunk;
  const rows = min(chunk, count - first);
  if (rows <= 0) return;
  gatherUnitBytes(<usize>slot(ctl, P), <usize>slot(ctl, P + 1) + (<usize>first << 2), rows, n, <usize>slot(ctl, P + 4) + ((<usize>first * n) << 2));
}

// Momentum slots: w, g, v (0: none), unused, length, chunk (as Adam's), then as f32: lr, weight decay,
// decay, scale, nesterov.
function runMomentumTask(ctl: usize, index: i32): void {
  const count = weightCount(ctl, index);
  if (count <= 0) return;
  const o = weightOffset(ctl, index);
  const v = <usize>slot(ctl, P + 2);
  momentum(<usize>slot(ctl, P) + o, <usize>slot(ctl, P + 1) + o, v == 0 ? 0 : v + o, count, slotF(ctl, P + 6), slotF(ctl, P + 7), slotF(ctl, P + 8), slotF(ctl, P + 9), slotF(ctl, P + 10));
}

// RMSProp slots: w, g, v, buffer (0: none), length, chunk (as Adam's), then as f32: lr, weight decay,
// alpha, 1 − alpha, eps, momentum.
function runRmsPropTask(ctl: usize, index: i32): void {
  const count = weightCount(ctl, index);
  if (count <= 0) return;
  const o = weightOffset(ctl, index);
  const b = <usize>slot(ctl, P + 3);
  rmsprop(<usize>slot(ctl, P) + o, <usize>slot(ctl, P + 1) + o, <usize>slot(ctl, P + 2) + o, b == 0 ? 0 : b + o, count,
    slotF(ctl, P + 6), slotF(ctl, P + 7), slotF(ctl, P + 8), slotF(ctl, P + 9), slotF(ctl, P + 10), slotF(ctl, P + 11));
}
