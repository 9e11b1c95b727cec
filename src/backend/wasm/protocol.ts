// The one description of how the coordinating thread, the worker threads and the kernels talk: the
// control block's slots, each task kind with its parameters in slot order, and the activation
// codes. scripts/build-wasm.mjs generates asm/protocol.generated.ts from this file (GEMM_LDA,
// TASK_ADAM, ACT_RELU, …), so TypeScript and AssemblyScript read the same numbers. Data only.
import type { ActivationName } from '../backend.js';

/**
 * Control block slots (Int32). An operation is cut into tasks; every thread, the coordinator
 * included, claims task indices until none are left, so a worker that the OS has descheduled delays
 * the operation by at most the task it holds instead of by its whole share.
 */
export const SLOT = {
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
  /** What the tasks do (a TASKS code). */
  Kind: 5,
  /** Tasks from this index on start only when all tasks before it are done (GEMM: tiles after packing). */
  Barrier: 6,
  /** First parameter slot: a task kind's parameters follow in the order TASKS lists them. */
  Params: 8,
  /** Scratch address of worker w is at ScratchBase + w. */
  ScratchBase: 32,
} as const;

/** A parameter is an int32 (addresses, sizes, flags, bit patterns) or a float32. */
export type ParamType = 'i32' | 'f32';

/**
 * Task kinds: the code in SLOT.Kind and the parameters from SLOT.Params on. Weight-wise kinds
 * (optimisers, dropout) cut `length` elements into tasks of `chunk` elements.
 */
export const TASKS = {
  /**
   * C = op(A)·op(B). Tasks: packing A (none when the tiles read A in place), packing B (none when
   * every tile task spans all rows and packs its own columns), then colChunks × rowChunks tiles.
   */
  gemm: {
    code: 1,
    params: {
      a: 'i32',
      b: 'i32',
      c: 'i32',
      m: 'i32',
      n: 'i32',
      k: 'i32',
      lda: 'i32',
      ldb: 'i32',
      ldc: 'i32',
      transA: 'i32',
      transB: 'i32',
      accumulate: 'i32',
      packedA: 'i32',
      packedB: 'i32',
      packTasksA: 'i32',
      packTasksB: 'i32',
      colChunks: 'i32',
      rowChunks: 'i32',
    },
  },
  /** One Adam/AdamW step (asm/elementwise.ts adam). */
  adam: {
    code: 2,
    params: {
      length: 'i32',
      chunk: 'i32',
      w: 'i32',
      g: 'i32',
      m: 'i32',
      v: 'i32',
      beta1: 'f32',
      beta2: 'f32',
      oneMinusBeta1: 'f32',
      oneMinusBeta2: 'f32',
      eps: 'f32',
      stepSize: 'f32',
      sqrtBc2: 'f32',
      decay: 'f32',
      l2: 'f32',
    },
  },
  /** Byte-image rows gathered into floats: `chunk` rows per task. */
  gather: {
    code: 3,
    params: { bytes: 'i32', rows: 'i32', count: 'i32', n: 'i32', out: 'i32', chunk: 'i32' },
  },
  /** SGD with momentum or Nesterov, and the notes' momentum (v = 0: no velocity). */
  momentum: {
    code: 4,
    params: {
      length: 'i32',
      chunk: 'i32',
      w: 'i32',
      g: 'i32',
      v: 'i32',
      lr: 'f32',
      weightDecay: 'f32',
      decay: 'f32',
      scale: 'f32',
      nesterov: 'f32',
    },
  },
  /** RMSProp (buffer = 0: no momentum). */
  rmsprop: {
    code: 5,
    params: {
      length: 'i32',
      chunk: 'i32',
      w: 'i32',
      g: 'i32',
      v: 'i32',
      buffer: 'i32',
      lr: 'f32',
      weightDecay: 'f32',
      alpha: 'f32',
      oneMinusAlpha: 'f32',
      eps: 'f32',
      momentum: 'f32',
    },
  },
  /** Inverted dropout with a Philox mask; `chunk` is a multiple of 32 (a mask group). */
  dropout: {
    code: 6,
    params: {
      length: 'i32',
      chunk: 'i32',
      x: 'i32',
      out: 'i32',
      mask: 'i32',
      key0: 'i32',
      key1: 'i32',
      threshold: 'i32',
      scale: 'f32',
    },
  },
  /** Forward epilogue a = g(z + bias) on `rows` rows of n: `chunk` rows per task. */
  biasActivation: {
    code: 8,
    params: { rows: 'i32', n: 'i32', chunk: 'i32', z: 'i32', bias: 'i32', a: 'i32', activation: 'i32', slope: 'f32' },
  },
  /** Backward through g, dZ = dA ⊙ g′(z), on `rows` rows of n: `chunk` rows per task. */
  activationBackward: {
    code: 9,
    params: {
      rows: 'i32',
      n: 'i32',
      chunk: 'i32',
      z: 'i32',
      a: 'i32',
      dA: 'i32',
      dZ: 'i32',
      activation: 'i32',
      slope: 'f32',
    },
  },
  /** Element-wise: out = a ⊙ b. */
  multiply: {
    code: 7,
    params: { length: 'i32', chunk: 'i32', a: 'i32', b: 'i32', out: 'i32' },
  },
} as const satisfies Record<string, { code: number; params: Record<string, ParamType> }>;

export type TaskName = keyof typeof TASKS;

/** A task kind's parameter values, by name. */
export type TaskParams<K extends TaskName> = { [P in keyof (typeof TASKS)[K]['params']]: number };

/** Activation codes the kernels switch on. */
export const ACTIVATION_CODES = {
  linear: 0,
  sigmoid: 1,
  relu: 2,
  leaky_relu: 3,
  tanh: 4,
  softmax: 5,
} as const satisfies Record<ActivationName, number>;
