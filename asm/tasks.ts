// One task of a parallel operation, described in a control block of 32-bit slots that the
// coordinating thread fills. The slot numbers come from asm/protocol.generated.ts, generated from
// src/backend/wasm/protocol.ts. Every thread claims task indices and calls runTask, so the parallel
// part needs no per-kernel code in the workers.
import { MR, NR, gemmPacked, packAPanels, packBPanels } from './gemm';
import { activationBackward, adam, biasActivation, gatherUnitBytes, momentum, rmsprop } from './elementwise';
import { dropout, multiply } from './dropout';
import {
  SLOT_KIND, TASK_GEMM, TASK_ADAM, TASK_GATHER, TASK_MOMENTUM, TASK_RMSPROP, TASK_DROPOUT, TASK_MULTIPLY,
  GEMM_A, GEMM_B, GEMM_C, GEMM_M, GEMM_N, GEMM_K, GEMM_LDA, GEMM_LDB, GEMM_LDC, GEMM_TRANS_A, GEMM_TRANS_B, GEMM_ACCUMULATE,
  GEMM_PACKED_A, GEMM_PACKED_B, GEMM_PACK_TASKS_A, GEMM_PACK_TASKS_B, GEMM_COL_CHUNKS, GEMM_ROW_CHUNKS,
  ADAM_LENGTH, ADAM_CHUNK, ADAM_W, ADAM_G, ADAM_M, ADAM_V, ADAM_BETA1, ADAM_BETA2, ADAM_ONE_MINUS_BETA1, ADAM_ONE_MINUS_BETA2,
  ADAM_EPS, ADAM_STEP_SIZE, ADAM_SQRT_BC2, ADAM_DECAY, ADAM_L2,
  GATHER_BYTES, GATHER_ROWS, GATHER_COUNT, GATHER_N, GATHER_OUT, GATHER_CHUNK,
  MOMENTUM_LENGTH, MOMENTUM_CHUNK, MOMENTUM_W, MOMENTUM_G, MOMENTUM_V, MOMENTUM_LR, MOMENTUM_WEIGHT_DECAY, MOMENTUM_DECAY, MOMENTUM_SCALE, MOMENTUM_NESTEROV,
  RMSPROP_LENGTH, RMSPROP_CHUNK, RMSPROP_W, RMSPROP_G, RMSPROP_V, RMSPROP_BUFFER, RMSPROP_LR, RMSPROP_WEIGHT_DECAY, RMSPROP_ALPHA,
  RMSPROP_ONE_MINUS_ALPHA, RMSPROP_EPS, RMSPROP_MOMENTUM,
  DROPOUT_LENGTH, DROPOUT_CHUNK, DROPOUT_X, DROPOUT_OUT, DROPOUT_MASK, DROPOUT_KEY0, DROPOUT_KEY1, DROPOUT_THRESHOLD, DROPOUT_SCALE,
  MULTIPLY_LENGTH, MULTIPLY_CHUNK, MULTIPLY_A, MULTIPLY_B, MULTIPLY_OUT, TASK_BIAS_ACTIVATION, TASK_ACTIVATION_BACKWARD,
  BIAS_ACTIVATION_ROWS, BIAS_ACTIVATION_N, BIAS_ACTIVATION_CHUNK, BIAS_ACTIVATION_Z, BIAS_ACTIVATION_BIAS, BIAS_ACTIVATION_A, BIAS_ACTIVATION_ACTIVATION, BIAS_ACTIVATION_SLOPE,
  ACTIVATION_BACKWARD_ROWS, ACTIVATION_BACKWARD_N, ACTIVATION_BACKWARD_CHUNK, ACTIVATION_BACKWARD_Z, ACTIVATION_BACKWARD_A, ACTIVATION_BACKWARD_D_A, ACTIVATION_BACKWARD_D_Z,
  ACTIVATION_BACKWARD_ACTIVATION, ACTIVATION_BACKWARD_SLOPE,
} from './protocol.generated';

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

// @ts-ignore: decorator
@inline
function slotP(ctl: usize, i: i32): usize {
  return <usize>load<i32>(ctl + (<usize>i << 2));
}

/** [start, end) of part `part` when `total` items are cut into `parts` near-equal parts. */
// @ts-ignore: decorator
@inline
function partStart(total: i32, parts: i32, part: i32): i32 {
  return <i32>((<i64>total * part) / parts);
}

/** Runs task `index` of the operation in the control block at `ctl`; `scratch` is this thread's. */
export function runTask(ctl: usize, index: i32, scratch: usize): void {
  const kind = slot(ctl, SLOT_KIND);
  if (kind == TASK_GEMM) runGemmTask(ctl, index, scratch);
  else if (kind == TASK_ADAM) runAdamTask(ctl, index);
  else if (kind == TASK_GATHER) runGatherTask(ctl, index);
  else if (kind == TASK_MOMENTUM) runMomentumTask(ctl, index);
  else if (kind == TASK_RMSPROP) runRmsPropTask(ctl, index);
  else if (kind == TASK_DROPOUT) runDropoutTask(ctl, index);
  else if (kind == TASK_MULTIPLY) runMultiplyTask(ctl, index);
  else if (kind == TASK_BIAS_ACTIVATION) runBiasActivationTask(ctl, index);
  else if (kind == TASK_ACTIVATION_BACKWARD) runActivationBackwardTask(ctl, index);
}

// Tasks: packing A (none when the tiles read A in place), packing B (none when every tile task
// spans all rows and packs its own columns), then the tiles (the coordinator makes them wait until
// packing is done).
function runGemmTask(ctl: usize, index: i32, scratch: usize): void {
  const m = slot(ctl, GEMM_M), n = slot(ctl, GEMM_N), k = slot(ctl, GEMM_K);
  const packedA = slotP(ctl, GEMM_PACKED_A), packedB = slotP(ctl, GEMM_PACKED_B);
  const packA = slot(ctl, GEMM_PACK_TASKS_A), packB = slot(ctl, GEMM_PACK_TASKS_B);
  const transA = slot(ctl, GEMM_TRANS_A) != 0, transB = slot(ctl, GEMM_TRANS_B) != 0;
  const panelsA = (m + MR - 1) / MR, panelsB = (n + NR - 1) / NR;
  if (index < packA) {
    packAPanels(slotP(ctl, GEMM_A), slot(ctl, GEMM_LDA), transA, m, k, packedA, partStart(panelsA, packA, index), partStart(panelsA, packA, index + 1));
    return;
  }
  index -= packA;
  if (index < packB) {
    packBPanels(slotP(ctl, GEMM_B), slot(ctl, GEMM_LDB), transB, n, k, packedB, partStart(panelsB, packB, index), partStart(panelsB, packB, index + 1));
    return;
  }
  index -= packB;
  const colChunks = slot(ctl, GEMM_COL_CHUNKS), rowChunks = slot(ctl, GEMM_ROW_CHUNKS);
  const cj = index / rowChunks, ci = index % rowChunks;
  const j0 = partStart(panelsB, colChunks, cj), j1 = partStart(panelsB, colChunks, cj + 1);
  // Without B packing tasks each tile task owns whole columns and packs its own B panels, on the
  // thread (and into the cache) that uses them.
  if (packB == 0) packBPanels(slotP(ctl, GEMM_B), slot(ctl, GEMM_LDB), transB, n, k, packedB, j0, j1);
  // With no A packing tasks A is read in place (packedA = 0).
  gemmPacked(packA == 0 ? 0 : packedA, slotP(ctl, GEMM_A), slot(ctl, GEMM_LDA), transA, packedB, slotP(ctl, GEMM_C), slot(ctl, GEMM_LDC), m, n, k, slot(ctl, GEMM_ACCUMULATE) != 0,
    partStart(panelsA, rowChunks, ci), partStart(panelsA, rowChunks, ci + 1), j0, j1, scratch);
}

// Element-wise kinds cut `length` elements into tasks of `chunk`: task i covers
// [i·chunk, min((i + 1)·chunk, length)).

/** Elements task `index` covers (≤ 0 for a task past the end). */
// @ts-ignore: decorator
@inline
function chunkCount(ctl: usize, index: i32, lengthSlot: i32, chunkSlot: i32): i32 {
  const chunk = slot(ctl, chunkSlot);
  return min(chunk, slot(ctl, lengthSlot) - index * chunk);
}

/** Byte offset of task `index`'s first element in each f32 array. */
// @ts-ignore: decorator
@inline
function chunkOffset(ctl: usize, index: i32, chunkSlot: i32): usize {
  return <usize>(index * slot(ctl, chunkSlot)) << 2;
}

function runAdamTask(ctl: usize, index: i32): void {
  const count = chunkCount(ctl, index, ADAM_LENGTH, ADAM_CHUNK);
  if (count <= 0) return;
  const o = chunkOffset(ctl, index, ADAM_CHUNK);
  adam(slotP(ctl, ADAM_W) + o, slotP(ctl, ADAM_G) + o, slotP(ctl, ADAM_M) + o, slotP(ctl, ADAM_V) + o, count,
    slotF(ctl, ADAM_BETA1), slotF(ctl, ADAM_BETA2), slotF(ctl, ADAM_ONE_MINUS_BETA1), slotF(ctl, ADAM_ONE_MINUS_BETA2), slotF(ctl, ADAM_EPS),
    slotF(ctl, ADAM_STEP_SIZE), slotF(ctl, ADAM_SQRT_BC2), slotF(ctl, ADAM_DECAY), slotF(ctl, ADAM_L2));
}

function runGatherTask(ctl: usize, index: i32): void {
  const count = slot(ctl, GATHER_COUNT), n = slot(ctl, GATHER_N), chunk = slot(ctl, GATHER_CHUNK);
  const first = index * chunk;
  const rows = min(chunk, count - first);
  if (rows <= 0) return;
  gatherUnitBytes(slotP(ctl, GATHER_BYTES), slotP(ctl, GATHER_ROWS) + (<usize>first << 2), rows, n, slotP(ctl, GATHER_OUT) + ((<usize>first * n) << 2));
}

function runMomentumTask(ctl: usize, index: i32): void {
  const count = chunkCount(ctl, index, MOMENTUM_LENGTH, MOMENTUM_CHUNK);
  if (count <= 0) return;
  const o = chunkOffset(ctl, index, MOMENTUM_CHUNK);
  const v = slotP(ctl, MOMENTUM_V);
  momentum(slotP(ctl, MOMENTUM_W) + o, slotP(ctl, MOMENTUM_G) + o, v == 0 ? 0 : v + o, count,
    slotF(ctl, MOMENTUM_LR), slotF(ctl, MOMENTUM_WEIGHT_DECAY), slotF(ctl, MOMENTUM_DECAY), slotF(ctl, MOMENTUM_SCALE), slotF(ctl, MOMENTUM_NESTEROV));
}

function runRmsPropTask(ctl: usize, index: i32): void {
  const count = chunkCount(ctl, index, RMSPROP_LENGTH, RMSPROP_CHUNK);
  if (count <= 0) return;
  const o = chunkOffset(ctl, index, RMSPROP_CHUNK);
  const b = slotP(ctl, RMSPROP_BUFFER);
  rmsprop(slotP(ctl, RMSPROP_W) + o, slotP(ctl, RMSPROP_G) + o, slotP(ctl, RMSPROP_V) + o, b == 0 ? 0 : b + o, count,
    slotF(ctl, RMSPROP_LR), slotF(ctl, RMSPROP_WEIGHT_DECAY), slotF(ctl, RMSPROP_ALPHA), slotF(ctl, RMSPROP_ONE_MINUS_ALPHA), slotF(ctl, RMSPROP_EPS), slotF(ctl, RMSPROP_MOMENTUM));
}

// Dropout and multiply take whole arrays and an element range, so that a task's range of a
// counter-based mask is the same whoever computes it.
function runDropoutTask(ctl: usize, index: i32): void {
  const chunk = slot(ctl, DROPOUT_CHUNK), first = index * chunk;
  const end = min(first + chunk, slot(ctl, DROPOUT_LENGTH));
  if (end <= first) return;
  dropout(slotP(ctl, DROPOUT_X), slotP(ctl, DROPOUT_OUT), slotP(ctl, DROPOUT_MASK), first, end,
    slot(ctl, DROPOUT_KEY0), slot(ctl, DROPOUT_KEY1), slot(ctl, DROPOUT_THRESHOLD), slotF(ctl, DROPOUT_SCALE));
}

function runMultiplyTask(ctl: usize, index: i32): void {
  const chunk = slot(ctl, MULTIPLY_CHUNK), first = index * chunk;
  const end = min(first + chunk, slot(ctl, MULTIPLY_LENGTH));
  if (end <= first) return;
  multiply(slotP(ctl, MULTIPLY_A), slotP(ctl, MULTIPLY_B), slotP(ctl, MULTIPLY_OUT), first, end);
}

// The epilogues take row ranges: softmax works on whole rows.
function runBiasActivationTask(ctl: usize, index: i32): void {
  const chunk = slot(ctl, BIAS_ACTIVATION_CHUNK), first = index * chunk;
  const rows = min(chunk, slot(ctl, BIAS_ACTIVATION_ROWS) - first);
  if (rows <= 0) return;
  const n = slot(ctl, BIAS_ACTIVATION_N);
  const o = (<usize>first * n) << 2;
  biasActivation(slotP(ctl, BIAS_ACTIVATION_Z) + o, slotP(ctl, BIAS_ACTIVATION_BIAS), slotP(ctl, BIAS_ACTIVATION_A) + o, rows, n,
    slot(ctl, BIAS_ACTIVATION_ACTIVATION), slotF(ctl, BIAS_ACTIVATION_SLOPE));
}

function runActivationBackwardTask(ctl: usize, index: i32): void {
  const chunk = slot(ctl, ACTIVATION_BACKWARD_CHUNK), first = index * chunk;
  const rows = min(chunk, slot(ctl, ACTIVATION_BACKWARD_ROWS) - first);
  if (rows <= 0) return;
  const n = slot(ctl, ACTIVATION_BACKWARD_N);
  const o = (<usize>first * n) << 2;
  activationBackward(slotP(ctl, ACTIVATION_BACKWARD_Z) + o, slotP(ctl, ACTIVATION_BACKWARD_A) + o, slotP(ctl, ACTIVATION_BACKWARD_D_A) + o, slotP(ctl, ACTIVATION_BACKWARD_D_Z) + o, rows, n,
    slot(ctl, ACTIVATION_BACKWARD_ACTIVATION), slotF(ctl, ACTIVATION_BACKWARD_SLOPE));
}
