// The WASM backend agrees with the reference backend (the oracle) on every kernel, for each build
// this runtime supports and for 1 and 2 threads, on odd sizes, 1 and 0 included.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTIVATIONS, type AdamStep, type MomentumStep, type RmsPropStep } from '../../src/backend/backend.js';
import { referenceBackend } from '../../src/backend/reference/reference.js';
import {
  createWasmBackend,
  WASM_BUILDS,
  type WasmBackend,
  type WasmBuildName,
  wasmSupport,
} from '../../src/backend/wasm/index.js';
import { keepThreshold } from '../../src/core/philox.js';
import { Rng } from '../../src/core/random.js';
import { expectAllClose } from '../helpers/allclose.js';
import {
  expectFloat64GemmIsReference,
  expectGemmAsReference,
  expectGemmAsReferenceOnAllSizes,
  gemmAtol,
  inside,
  random,
  TRANSPOSES,
} from '../helpers/backend-cases.js';

const support = await wasmSupport();
const builds = WASM_BUILDS.filter((b) => b === 'scalar' || support[b]);
const threadCounts = support.threads ? [1, 2] : [1];
const configs: { build: WasmBuildName; threads: number }[] = builds.flatMap((build) =>
  threadCounts.map((threads) => ({ build, threads })),
);

/** Pre-activations mostly in [−4, 4], every seventh in [−100, 100] to reach exp's clamped range. */
const spread = (v: number, i: number): number => (i % 7 === 3 ? 100 * v : 4 * v);

describe.each(configs)('wasm backend, $build build, $threads thread(s)', ({ build, threads }) => {
  let wasm: WasmBackend;
  beforeAll(async () => {
    wasm = await createWasmBackend({ build, threads });
  });
  afterAll(() => wasm.dispose());

  it('reports its build and thread count', () => {
    expect(wasm.name).toBe('wasm');
    expect(wasm.build).toBe(build);
    expect(wasm.threads).toBe(threads);
  });

  it('gatherUnitBytes gathers rows of bytes in index order as Math.fround(b / 255), for every byte value and odd row lengths', () => {
    // The last case is large enough to be split across threads.
    for (const [n, rowsTotal] of [
      [1, 259],
      [15, 21],
      [16, 19],
      [17, 19],
      [256, 4],
      [784, 4],
      [784, 61],
    ] as const) {
      const bytes = wasm.allocBytes(rowsTotal * n);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 97) % 256;
      const order = Uint32Array.from({ length: rowsTotal }, (_, i) => (i * 5 + 2) % rowsTotal);
      const count = rowsTotal - 1;
      const out = wasm.allocFloat32(count * n);
      expect(wasm.gatherUnitBytes(bytes, order, 1, count, n, out)).toBe(true);
      const expected = new Float32Array(count * n);
      for (let i = 0; i < count; i++)
        for (let j = 0; j < n; j++) expected[i * n + j] = bytes[order[1 + i]! * n + j]! / 255;
      expect(Array.from(out)).toEqual(Array.from(expected));
      wasm.free(bytes);
      wasm.free(out);
    }
  });

  it('gatherUnitBytes declines bytes outside its memory or float64 output, and rejects rows out of range', () => {
    const bytes = wasm.allocBytes(32);
    const out = wasm.allocFloat32(16);
    expect(wasm.gatherUnitBytes(new Uint8Array(32), [0, 1], 0, 2, 8, out)).toBe(false);
    expect(wasm.gatherUnitBytes(bytes, [0, 1], 0, 2, 8, new Float64Array(16))).toBe(false);
    expect(() => wasm.gatherUnitBytes(bytes, [0, 4], 0, 2, 8, out)).toThrow(
      /row 4 \(index 1\) is outside the 4 rows of 8 bytes/,
    );
    expect(() => wasm.gatherUnitBytes(bytes, [0, 1, 2], 0, 3, 8, out)).toThrow(
      /out holds 16 floats, fewer than 3 rows of 8/,
    );
    wasm.free(bytes);
    wasm.free(out);
  });

  it.each(TRANSPOSES)(
    'gemm matches the reference for all sizes in {0..130}³, transA %s transB %s, overwrite and accumulate',
    (transA, transB) => {
      expectGemmAsReferenceOnAllSizes(wasm, new Rng(11), transA, transB);
    },
  );

  it('gemm crosses every cache block (k > 256, n > 512, m > 132) and the benchmark shapes', () => {
    const rng = new Rng(12);
    const shapes = [
      [139, 520, 513],
      [5, 1030, 300],
      [128, 256, 784],
      [256, 784, 128],
      [128, 784, 256],
    ] as const;
    for (const [m, n, k] of shapes) {
      for (const [transA, transB] of TRANSPOSES) {
        expectGemmAsReference(wasm, random(rng, m * k), random(rng, k * n), random(rng, m * n), {
          m,
          n,
          k,
          transA,
          transB,
          accumulate: true,
        });
      }
    }
  });

  it('gemm on arrays outside its memory copies them in and out; float64 goes to the reference', () => {
    const rng = new Rng(13);
    const [m, n, k] = [9, 13, 21];
    const a = random(rng, k * m),
      b = random(rng, k * n),
      c = random(rng, m * n);
    const expected = Float32Array.from(c);
    referenceBackend.gemm(a, b, expected, { m, n, k, transA: true, accumulate: true });
    const mixedA = inside(wasm, a);
    wasm.gemm(mixedA, b, c, { m, n, k, transA: true, accumulate: true });
    expectAllClose(c, expected, 0, gemmAtol(k), 'gemm slow path');
    wasm.free(mixedA);
    expectFloat64GemmIsReference(wasm, a, b, m, n, k);
  });

  describe.each(ACTIVATIONS)('activation %s', (activation) => {
    // 129×131 is large enough to be split across threads by rows (an odd number of them).
    const shapes = [
      [0, 5],
      [1, 1],
      [3, 7],
      [17, 33],
      [130, 10],
      [129, 131],
    ] as const;
    const slope = 0.07;

    it('biasActivation and activation match the reference (separate output and in place)', () => {
      const rng = new Rng(21);
      for (const [m, n] of shapes) {
        const z = random(rng, m * n).map(spread),
          bias = random(rng, n);
        const ez = Float32Array.from(z),
          ea = new Float32Array(m * n);
        referenceBackend.biasActivation(ez, bias, ea, m, n, activation, slope);
        const wz = inside(wasm, z),
          wbias = inside(wasm, bias),
          wa = wasm.allocFloat32(m * n);
        wasm.biasActivation(wz, wbias, wa, m, n, activation, slope);
        expectAllClose(wz, ez, 1e-6, 1e-6, `${activation} z+b ${m}×${n}`);
        expectAllClose(wa, ea, 1e-5, 1e-6, `${activation} a ${m}×${n}`);
        // In place: a = g(z) over z's own buffer.
        wasm.activation(wz, wz, m, n, activation, slope);
        expectAllClose(wz, ea, 1e-5, 1e-6, `${activation} in place ${m}×${n}`);
        for (const x of [wz, wbias, wa]) wasm.free(x);
      }
    });

    it('activationBackward matches the reference', () => {
      const rng = new Rng(22);
      for (const [m, n] of shapes) {
        const z = random(rng, m * n).map(spread),
          dA = random(rng, m * n);
        const a = new Float32Array(m * n);
        referenceBackend.activation(z, a, m, n, activation, slope);
        const expected = new Float32Array(m * n);
        referenceBackend.activationBackward(z, a, dA, expected, m, n, activation, slope);
        const wz = inside(wasm, z),
          wa = inside(wasm, a),
          wdA = inside(wasm, dA),
          wdZ = wasm.allocFloat32(m * n);
        wasm.activationBackward(wz, wa, wdA, wdZ, m, n, activation, slope);
        expectAllClose(wdZ, expected, 1e-5, 1e-6, `${activation}′ ${m}×${n}`);
        // Outside the memory (slow path) gives the same numbers.
        const outside = new Float32Array(m * n);
        wasm.activationBackward(z, a, dA, outside, m, n, activation, slope);
        expectAllClose(outside, expected, 1e-5, 1e-6, `${activation}′ copied ${m}×${n}`);
        for (const x of [wz, wa, wdA, wdZ]) wasm.free(x);
      }
    });
  });

  it('scaledDifference ((ŷ − y)/m, the fused softmax + cross-entropy gradient) matches the reference, in its memory and outside it', () => {
    const rng = new Rng(32);
    for (const size of [0, 1, 3, 1280, 1283]) {
      const a = random(rng, size),
        y = random(rng, size);
      const expected = new Float32Array(size);
      referenceBackend.scaledDifference(a, y, expected, size, 128);
      const wa = inside(wasm, a),
        wy = inside(wasm, y),
        wout = wasm.allocFloat32(size);
      wasm.scaledDifference(wa, wy, wout, size, 128);
      expectAllClose(wout, expected, 1e-6, 1e-9, `scaledDifference ${size}`);
      const out = new Float32Array(size);
      wasm.scaledDifference(a, y, out, size, 128);
      expectAllClose(out, expected, 1e-6, 1e-9, `scaledDifference ${size} outside`);
      for (const x of [wa, wy, wout]) wasm.free(x);
    }
  });

  it('dropout draws the same Philox mask as the reference, bit for bit, at every size and split', () => {
    // 40 000 elements are split across threads; odd sizes end inside a 32-element group, and 33
    // and 96 leave one whole group after the kernel's pairs of groups.
    for (const size of [0, 1, 3, 31, 32, 33, 65, 96, 200, 40_000]) {
      for (const rate of [0.3, 0.9]) {
        const keep = 1 - rate;
        const drop = { key0: 0x9e3779b9 + size, key1: 12345, threshold: keepThreshold(keep), scale: 1 / keep };
        const x = random(new Rng(size + 1), size);
        const expectedOut = new Float32Array(size),
          expectedMask = new Float32Array(size);
        referenceBackend.dropout(x, expectedOut, expectedMask, size, drop);
        const xi = inside(wasm, x),
          out = wasm.allocFloat32(size),
          mask = wasm.allocFloat32(size);
        wasm.dropout(xi, out, mask, size, drop);
        expect(mask).toEqual(expectedMask);
        expect(out).toEqual(expectedOut);
        // In place, and on arrays outside the memory (copied in and out).
        wasm.dropout(xi, xi, mask, size, drop);
        expect(xi).toEqual(expectedOut);
        const outside = Float32Array.from(x),
          outsideMask = new Float32Array(size);
        wasm.dropout(outside, outside, outsideMask, size, drop);
        expect(outside).toEqual(expectedOut);
        expect(outsideMask).toEqual(expectedMask);
        if (size === 40_000) {
          const kept = expectedMask.filter((v) => v !== 0).length / size;
          expect(Math.abs(kept - keep)).toBeLessThan(4 * Math.sqrt((keep * (1 - keep)) / size));
          expect(expectedMask.every((v) => v === 0 || v === Math.fround(1 / keep))).toBe(true);
        }
        for (const a of [xi, out, mask]) wasm.free(a);
      }
    }
  });

  it('multiply (dropout backward) matches the reference, in its memory and outside it', () => {
    for (const size of [0, 1, 5, 33, 40_000]) {
      const rng = new Rng(size);
      const a = random(rng, size),
        b = random(rng, size);
      const expected = new Float32Array(size);
      referenceBackend.multiply(a, b, expected, size);
      const ai = inside(wasm, a),
        bi = inside(wasm, b),
        out = wasm.allocFloat32(size);
      wasm.multiply(ai, bi, out, size);
      expect(out).toEqual(expected);
      const outside = new Float32Array(size);
      wasm.multiply(a, b, outside, size);
      expect(outside).toEqual(expected);
      for (const x of [ai, bi, out]) wasm.free(x);
    }
  });

  it('firstNonFinite finds the first NaN or ±Infinity at every position, in its memory and outside it', () => {
    const finite = [0, -0, 1e-45, -3.4e38, 3.4028234663852886e38, 0.5];
    for (const size of [0, 1, 3, 15, 16, 17, 33, 64, 70]) {
      const base = Float32Array.from({ length: size + 2 }, (_, i) => finite[i % finite.length]!);
      const x = inside(wasm, base);
      expect(wasm.firstNonFinite(x, size)).toBe(-1);
      for (const bad of [NaN, Infinity, -Infinity]) {
        for (let at = 0; at < size; at++) {
          x.set(base);
          x[at] = bad;
          // A second one later, and one past `size`, must not change the answer.
          if (at + 5 < size) x[at + 5] = NaN;
          x[size] = NaN;
          expect(wasm.firstNonFinite(x, size), `${bad} at ${at} of ${size}`).toBe(at);
          expect(referenceBackend.firstNonFinite(x, size)).toBe(at);
          expect(wasm.firstNonFinite(x.slice(), size), 'outside its memory').toBe(at);
        }
      }
      wasm.free(x);
    }
    expect(() => wasm.firstNonFinite(new Float32Array(4), 5)).toThrow(
      /firstNonFinite: size 5 is not an integer in \[0, 4\]/,
    );
  });

  it('sumRows matches the reference, overwrite and accumulate', () => {
    const rng = new Rng(31);
    for (const [m, n] of [
      [0, 3],
      [1, 1],
      [5, 7],
      [130, 33],
      [128, 256],
    ] as const) {
      for (const accumulate of [false, true]) {
        const x = random(rng, m * n),
          out = random(rng, n);
        const expected = Float32Array.from(out);
        referenceBackend.sumRows(x, expected, m, n, accumulate);
        const wx = inside(wasm, x),
          wout = inside(wasm, out);
        wasm.sumRows(wx, wout, m, n, accumulate);
        expectAllClose(wout, expected, 1e-5, 1e-5, `sumRows ${m}×${n} accumulate=${accumulate}`);
        wasm.free(wx);
        wasm.free(wout);
      }
    }
  });

  // SGD, PyTorch momentum (v starts as g), Nesterov and the notes' momentum, as the optimisers call it;
  // 70 001 weights are split into tasks across threads, 1 027 run on the calling thread.
  const MOMENTUM_FORMS: [string, (t: number) => MomentumStep | null][] = [
    ['sgd', () => null],
    ['pytorch momentum', (t) => ({ lr: 0.05, weightDecay: 0.01, decay: t === 1 ? 0 : 0.9, scale: 1, nesterov: 0 })],
    ['nesterov', (t) => ({ lr: 0.05, weightDecay: 0, decay: t === 1 ? 0 : 0.9, scale: 1, nesterov: 0.9 })],
    ['notes momentum', () => ({ lr: 0.05, weightDecay: 0.01, decay: 0.9, scale: 1 - 0.9, nesterov: 0 })],
  ];
  describe.each(MOMENTUM_FORMS)('momentumUpdate, %s', (_, stepAt) => {
    it.each([1027, 70001])(
      'matches the reference over 4 steps on %i weights, in its memory and outside it',
      (length) => {
        const rng = new Rng(43);
        const w0 = random(rng, length);
        for (const inMemory of [true, false]) {
          const w = Float32Array.from(w0),
            v = new Float32Array(length);
          const ww = inMemory ? inside(wasm, w0) : Float32Array.from(w0);
          const wv = inMemory ? wasm.allocFloat32(length) : new Float32Array(length);
          const wg = inMemory ? wasm.allocFloat32(length) : new Float32Array(length);
          for (let t = 1; t <= 4; t++) {
            const g = random(rng, length);
            wg.set(g);
            const step = stepAt(t);
            const s = step ?? { lr: 0.05, weightDecay: 0.01, decay: 0, scale: 1, nesterov: 0 };
            referenceBackend.momentumUpdate(w, g, step ? v : null, s);
            wasm.momentumUpdate(ww, wg, step ? wv : null, s);
          }
          expectAllClose(ww, w, 1e-5, 1e-6, `momentum w (in memory ${inMemory})`);
          expectAllClose(wv, v, 1e-5, 1e-6, `momentum v (in memory ${inMemory})`);
          if (inMemory) for (const x of [ww, wv, wg]) wasm.free(x);
        }
      },
    );
  });

  describe.each([0, 0.9])('rmspropUpdate, momentum %s', (momentum) => {
    it.each([1027, 70001])(
      'matches the reference over 4 steps on %i weights, in its memory and outside it',
      (length) => {
        const rng = new Rng(44);
        const w0 = random(rng, length);
        const step: RmsPropStep = { lr: 0.01, weightDecay: 0.01, alpha: 0.99, eps: 1e-8, momentum };
        for (const inMemory of [true, false]) {
          const w = Float32Array.from(w0),
            v = new Float32Array(length),
            b = new Float32Array(length);
          const alloc = (x: Float32Array): Float32Array => (inMemory ? inside(wasm, x) : Float32Array.from(x));
          const ww = alloc(w0),
            wv = alloc(v),
            wb = alloc(b),
            wg = alloc(v);
          for (let t = 1; t <= 4; t++) {
            const g = random(rng, length);
            wg.set(g);
            referenceBackend.rmspropUpdate(w, g, v, momentum > 0 ? b : null, step);
            wasm.rmspropUpdate(ww, wg, wv, momentum > 0 ? wb : null, step);
          }
          expectAllClose(ww, w, 1e-5, 1e-6, `rmsprop w (in memory ${inMemory})`);
          expectAllClose(wv, v, 1e-5, 1e-9, `rmsprop v (in memory ${inMemory})`);
          // The buffer sums scaled steps of size ~10 (g/√v with v ≈ 0.01·g² at first) that partly
          // cancel, so float32 rounding shows at ~1e-6 absolute.
          expectAllClose(wb, b, 1e-5, 1e-5, `rmsprop buffer (in memory ${inMemory})`);
          if (inMemory) for (const x of [ww, wv, wb, wg]) wasm.free(x);
        }
      },
    );
  });

  // 70 001 weights are split into tasks across threads; 1 027 run on the calling thread.
  it.each([
    [false, 1027],
    [true, 1027],
    [false, 70001],
    [true, 70001],
  ])('adamUpdate matches the reference over 5 steps (decoupled %s, %i weights)', (decoupled, length) => {
    const rng = new Rng(41);
    const w = random(rng, length),
      m = new Float32Array(length),
      v = new Float32Array(length);
    const ww = inside(wasm, w),
      wm = wasm.allocFloat32(length),
      wv = wasm.allocFloat32(length),
      wg = wasm.allocFloat32(length);
    const [beta1, beta2] = [0.9, 0.999];
    for (let t = 1; t <= 5; t++) {
      const g = random(rng, length);
      wg.set(g);
      const step: AdamStep = {
        lr: 0.01,
        beta1,
        beta2,
        eps: 1e-8,
        biasCorrection1: 1 - beta1 ** t,
        biasCorrection2: 1 - beta2 ** t,
        weightDecay: 0.1,
        decoupled,
      };
      referenceBackend.adamUpdate(w, g, m, v, step);
      wasm.adamUpdate(ww, wg, wm, wv, step);
    }
    expectAllClose(wm, m, 1e-5, 1e-7, 'adam m');
    expectAllClose(wv, v, 1e-5, 1e-9, 'adam v');
    expectAllClose(ww, w, 1e-5, 1e-6, 'adam w');
    for (const x of [ww, wm, wv, wg]) wasm.free(x);
  });
});

describe('wasm backend memory', () => {
  it('hands out zeroed, reusable views that stay valid while the memory grows', async () => {
    const wasm = await createWasmBackend({ threads: 1, memoryMiB: 1 });
    const first = wasm.allocFloat32(1000);
    first.fill(3);
    const big = wasm.allocFloat32(4 << 20); // 16 MiB: forces growth
    expect(first.length).toBe(1000);
    expect(first[999]).toBe(3);
    wasm.free(big);
    const again = wasm.allocFloat32(4 << 20);
    expect(again.every((x) => x === 0)).toBe(true);
    expect(() => wasm.free(new Float32Array(4))).toThrow(/did not allocate/);
    wasm.dispose();
  });
});

describe('wasm backend without shared memory (the fallback where SharedArrayBuffer is missing)', () => {
  it('runs on one thread over a fixed memory and says so when that memory is too small', async () => {
    const wasm = await createWasmBackend({ sharedMemory: false, threads: 2, memoryMiB: 4 });
    expect(wasm.threads).toBe(1);
    expect(wasm.memory.buffer).toBeInstanceOf(ArrayBuffer);
    const rng = new Rng(51);
    const [m, n, k] = [33, 65, 130];
    const a = random(rng, m * k),
      b = random(rng, n * k);
    const expected = new Float32Array(m * n);
    referenceBackend.gemm(a, b, expected, { m, n, k, transB: true });
    const wa = inside(wasm, a),
      wb = inside(wasm, b),
      wc = wasm.allocFloat32(m * n);
    wasm.gemm(wa, wb, wc, { m, n, k, transB: true });
    expectAllClose(wc, expected, 0, gemmAtol(k), 'gemm on unshared memory');
    expect(() => wasm.allocFloat32(2 << 20)).toThrow(/cannot grow.*memoryMiB/);
    expect(wc.length).toBe(m * n);
    wasm.dispose();
  });
});
