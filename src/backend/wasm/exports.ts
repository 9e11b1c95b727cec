// The typed surface of the compiled kernels (asm/index.ts), and instantiation over a given memory.

/** Pointers are byte offsets into the memory; booleans are passed as 0/1. */
export interface KernelExports {
  gemmScratchBytes(): number;
  microRows(): number;
  gemm(
    a: number,
    b: number,
    c: number,
    m: number,
    n: number,
    k: number,
    lda: number,
    ldb: number,
    ldc: number,
    transA: number,
    transB: number,
    accumulate: number,
    scratch: number,
  ): void;
  packedAFloats(m: number, k: number): number;
  packedBFloats(n: number, k: number): number;
  sharedGemmReadsA(): number;
  runTask(control: number, task: number, scratch: number): void;
  biasAdd(z: number, bias: number, m: number, n: number): void;
  biasActivation(z: number, bias: number, a: number, m: number, n: number, act: number, slope: number): void;
  activation(z: number, a: number, m: number, n: number, act: number, slope: number): void;
  activationBackward(
    z: number,
    a: number,
    dA: number,
    dZ: number,
    m: number,
    n: number,
    act: number,
    slope: number,
  ): void;
  scaledDifference(a: number, y: number, out: number, size: number, divisor: number): void;
  sumRows(x: number, out: number, m: number, n: number, accumulate: number): void;
  gatherUnitBytes(bytes: number, rows: number, count: number, n: number, out: number): void;
  firstNonFinite(x: number, length: number): number;
  dropout(
    x: number,
    out: number,
    mask: number,
    first: number,
    end: number,
    key0: number,
    key1: number,
    threshold: number,
    scale: number,
  ): void;
  multiply(a: number, b: number, out: number, first: number, end: number): void;
  momentum(
    w: number,
    g: number,
    v: number,
    length: number,
    lr: number,
    weightDecay: number,
    decay: number,
    scale: number,
    nesterov: number,
  ): void;
  rmsprop(
    w: number,
    g: number,
    v: number,
    buffer: number,
    length: number,
    lr: number,
    weightDecay: number,
    alpha: number,
    oneMinusAlpha: number,
    eps: number,
    momentum: number,
  ): void;
  adam(
    w: number,
    g: number,
    m: number,
    v: number,
    length: number,
    beta1: number,
    beta2: number,
    oneMinusBeta1: number,
    oneMinusBeta2: number,
    eps: number,
    stepSize: number,
    sqrtBc2: number,
    decay: number,
    l2: number,
  ): void;
}

export async function instantiateKernels(
  module: WebAssembly.Module,
  memory: WebAssembly.Memory,
): Promise<KernelExports> {
  const instance = await WebAssembly.instantiate(module, { env: { memory } });
  return instance.exports as unknown as KernelExports;
}
