// Elementwise kernels around the GEMM: bias + activation forward, activation backward,
// column sums (bias gradient) and the Adam/AdamW update. Pointers are byte addresses of f32 data.
import { expNonPositive } from './exp';
// Activation codes, generated from src/backend/wasm/protocol.ts.
import { ACT_LINEAR as LINEAR, ACT_SIGMOID as SIGMOID, ACT_RELU as RELU, ACT_LEAKY_RELU as LEAKY_RELU, ACT_TANH as TANH, ACT_SOFTMAX as SOFTMAX } from './protocol.generated';

/** z[i, j] += bias[j] for m rows of n. */
export function biasAdd(z: usize, bias: usize, m: i32, n: i32): void {
  for (let i = 0; i < m; i++) {
    const row = z + ((<usize>i * n) << 2);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        v128.store(row + o, f32x4.add(v128.load(row + o), v128.load(bias + o)));
      }
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(row + o, load<f32>(row + o) + load<f32>(bias + o));
    }
  }
}

/** a = g(z + bias) with z updated in place, one row at a time so that the row is still in L1 for g. */
export function biasActivation(z: usize, bias: usize, a: usize, m: i32, n: i32, act: i32, slope: f32): void {
  const rowBytes = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const o = <usize>i * rowBytes;
    biasAdd(z + o, bias, 1, n);
    activation(z + o, a + o, 1, n, act, slope);
  }
}

/** Numerically stable logistic function. */
// @ts-ignore: decorator
@inline
function sigmoid(x: f32): f32 {
  if (x >= 0) return 1 / (1 + Mathf.exp(-x));
  const e = Mathf.exp(x);
  return e / (1 + e);
}

/** a = g(z) on m rows of n units; `a` may be `z` for every activation. */
export function activation(z: usize, a: usize, m: i32, n: i32, act: i32, slope: f32): void {
  const size = m * n;
  if (act == SOFTMAX) {
    for (let r = 0; r < m; r++) softmaxRow(z + ((<usize>r * n) << 2), a + ((<usize>r * n) << 2), n);
    return;
  }
  if (act == LINEAR) {
    if (a != z) memory.copy(a, z, <usize>size << 2);
    return;
  }
  let i = 0;
  // One loop per activation keeps the vector loops free of per-element dispatch.
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    if (act == SIGMOID) {
      for (; i + 4 <= size; i += 4) {
        const o = <usize>i << 2;
        const x = v128.load(z + o);
        // σ(x) = 1 / (1 + e^−x) for x ≥ 0 and e^x / (1 + e^x) below: e^−|x| never overflows.
        const e = expNonPositive(f32x4.neg(f32x4.abs(x)));
        const q = f32x4.div(one, f32x4.add(one, e));
        v128.store(a + o, v128.bitselect(q, f32x4.mul(e, q), f32x4.ge(x, zero)));
      }
    } else if (act == TANH) {
      const sign = f32x4.splat(-0.0);
      for (; i + 4 <= size; i += 4) {
        const o = <usize>i << 2;
        const x = v128.load(z + o);
        // tanh|x| = (1 − e^−2|x|) / (1 + e^−2|x|), sign restored from x (absolute error ≈ 1e−7 near 0).
        const e = expNonPositive(f32x4.mul(f32x4.abs(x), f32x4.splat(-2)));
        const t = f32x4.div(f32x4.sub(one, e), f32x4.add(one, e));
        v128.store(a + o, v128.or(t, v128.and(x, sign)));
      }
    } else if (act == RELU) {
      for (; i + 4 <= size; i += 4) {
        const o = <usize>i << 2;
        const x = v128.load(z + o);
        v128.store(a + o, v128.and(x, f32x4.gt(x, zero)));
      }
    } else {
      const s = f32x4.splat(slope);
      for (; i + 4 <= size; i += 4) {
        const o = <usize>i << 2;
        const x = v128.load(z + o);
        v128.store(a + o, v128.bitselect(x, f32x4.mul(x, s), f32x4.gt(x, zero)));
      }
    }
  }
  for (; i < size; i++) {
    const o = <usize>i << 2;
    const x = load<f32>(z + o);
    let y: f32;
    if (act == SIGMOID) y = sigmoid(x);
    else if (act == RELU) y = x > 0 ? x : 0;
    else if (act == LEAKY_RELU) y = x > 0 ? x : slope * x;
    else y = Mathf.tanh(x);
    store<f32>(a + o, y);
  }
}

/** Row-wise softmax shifted by the row maximum so that exp never overflows. */
function softmaxRow(z: usize, a: usize, n: i32): void {
  let max = -Infinity as f32;
  for (let j = 0; j < n; j++) max = Mathf.max(max, load<f32>(z + (<usize>j << 2)));
  let sum: f32 = 0;
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    const shift = f32x4.splat(max);
    let sums = f32x4.splat(0);
    for (; j + 4 <= n; j += 4) {
      const o = <usize>j << 2;
      const e = expNonPositive(f32x4.sub(v128.load(z + o), shift));
      v128.store(a + o, e);
      sums = f32x4.add(sums, e);
    }
    sum = f32x4.extract_lane(sums, 0) + f32x4.extract_lane(sums, 1) + f32x4.extract_lane(sums, 2) + f32x4.extract_lane(sums, 3);
  }
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const e = Mathf.exp(load<f32>(z + o) - max);
    store<f32>(a + o, e);
    sum += e;
  }
  const inv: f32 = 1 / sum;
  for (let j = 0; j < n; j++) {
    const o = <usize>j << 2;
    store<f32>(a + o, load<f32>(a + o) * inv);
  }
}

/** dZ = dA ⊙ g′(z), using the cached output a where g′ is cheaper in a; softmax is the row-wise Jacobian-vector product. */
export function activationBackward(z: usize, a: usize, dA: usize, dZ: usize, m: i32, n: i32, act: i32, slope: f32): void {
  const size = m * n;
  if (act == SOFTMAX) {
    for (let r = 0; r < m; r++) {
      const o = (<usize>r * n) << 2;
      let dot: f32 = 0;
      for (let j = 0; j < n; j++) {
        const q = o + (<usize>j << 2);
        dot += load<f32>(dA + q) * load<f32>(a + q);
      }
      for (let j = 0; j < n; j++) {
        const q = o + (<usize>j << 2);
        store<f32>(dZ + q, load<f32>(a + q) * (load<f32>(dA + q) - dot));
      }
    }
    return;
  }
  if (act == LINEAR) {
    if (dZ != dA) memory.copy(dZ, dA, <usize>size << 2);
    return;
  }
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const one = f32x4.splat(1);
    const s = f32x4.splat(slope);
    for (; i + 4 <= size; i += 4) {
      const o = <usize>i << 2;
      const g = v128.load(dA + o);
      let y: v128;
      if (act == SIGMOID) {
        const y0 = v128.load(a + o);
        y = f32x4.mul(f32x4.mul(g, y0), f32x4.sub(one, y0));
      } else if (act == TANH) {
        const y0 = v128.load(a + o);
        y = f32x4.mul(g, f32x4.sub(one, f32x4.mul(y0, y0)));
      } else {
        const pos = f32x4.gt(v128.load(z + o), zero);
        y = act == RELU ? v128.and(g, pos) : v128.bitselect(g, f32x4.mul(g, s), pos);
      }
      v128.store(dZ + o, y);
    }
  }
  for (; i < size; i++) {
    const o = <usize>i << 2;
    const g = load<f32>(dA + o);
    let y: f32;
    if (act == SIGMOID) {
      const y0 = load<f32>(a + o);
      y = g * y0 * (1 - y0);
    } else if (act == TANH) {
      const y0 = load<f32>(a + o);
      y = g * (1 - y0 * y0);
    } else if (act == RELU) y = load<f32>(z + o) > 0 ? g : 0;
    else y = load<f32>(z + o) > 0 ? g : slope * g;
    store<f32>(dZ + o, y);
  }
}

/** out[i] = (a[i] − y[i]) / divisor: the fused softmax + cross-entropy gradient (ŷ − y)/m. */
export function scaledDifference(a: usize, y: usize, out: usize, size: i32, divisor: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const d = f32x4.splat(divisor);
    for (; i + 4 <= size; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.div(f32x4.sub(v128.load(a + o), v128.load(y + o)), d));
    }
  }
  for (; i < size; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, (load<f32>(a + o) - load<f32>(y + o)) / divisor);
  }
}

/** out[j] (+)= Σ_i x[i, j] over m rows of n. */
export function sumRows(x: usize, out: usize, m: i32, n: i32, accumulate: bool): void {
  if (!accumulate) memory.fill(out, 0, <usize>n << 2);
  for (let i = 0; i < m; i++) {
    const row = x + ((<usize>i * n) << 2);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      for (; j + 4 <= n; j += 4) {
        const o = <usize>j << 2;
        v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(row + o)));
      }
    }
    for (; j < n; j++) {
      const o = <usize>j << 2;
      store<f32>(out + o, load<f32>(out + o) + load<f32>(row + o));
    }
  }
}

/**
 * One gradient-descent step on `len` weights (src/backend/backend.ts, MomentumStep): g ← g + λw;
 * without a velocity (v = 0) w ← w − lr·g; otherwise v ← decay·v + scale·g and w ← w − lr·d with
 * d = v, or g + nesterov·v.
 */
export function momentum(w: usize, g: usize, v: usize, len: i32, lr: f32, wd: f32, decay: f32, scale: f32, nesterov: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const r = f32x4.splat(lr), l = f32x4.splat(wd), d = f32x4.splat(decay), s = f32x4.splat(scale), nv = f32x4.splat(nesterov);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      const wv = v128.load(w + o);
      const gi = f32x4.add(v128.load(g + o), f32x4.mul(l, wv));
      let step = gi;
      if (v != 0) {
        const vi = f32x4.add(f32x4.mul(d, v128.load(v + o)), f32x4.mul(s, gi));
        v128.store(v + o, vi);
        step = nesterov == 0 ? vi : f32x4.add(gi, f32x4.mul(nv, vi));
      }
      v128.store(w + o, f32x4.sub(wv, f32x4.mul(r, step)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const wv = load<f32>(w + o);
    const gi = load<f32>(g + o) + wd * wv;
    let step = gi;
    if (v != 0) {
      const vi = decay * load<f32>(v + o) + scale * gi;
      store<f32>(v + o, vi);
      step = nesterov == 0 ? vi : gi + nesterov * vi;
    }
    store<f32>(w + o, wv - lr * step);
  }
}

/**
 * One RMSProp step on `len` weights (PyTorch's form): g ← g + λw, v ← αv + (1 − α)g²,
 * s = g/(√v + ε); with a buffer (b ≠ 0) b ← μb + s and w ← w − lr·b, otherwise w ← w − lr·s.
 */
export function rmsprop(w: usize, g: usize, v: usize, b: usize, len: i32, lr: f32, wd: f32, alpha: f32, oneMinusAlpha: f32, eps: f32, mu: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const r = f32x4.splat(lr), l = f32x4.splat(wd), a = f32x4.splat(alpha), c = f32x4.splat(oneMinusAlpha), e = f32x4.splat(eps), m = f32x4.splat(mu);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      const wv = v128.load(w + o);
      const gi = f32x4.add(v128.load(g + o), f32x4.mul(l, wv));
      const vi = f32x4.add(f32x4.mul(a, v128.load(v + o)), f32x4.mul(c, f32x4.mul(gi, gi)));
      v128.store(v + o, vi);
      let step = f32x4.div(gi, f32x4.add(f32x4.sqrt(vi), e));
      if (b != 0) {
        step = f32x4.add(f32x4.mul(m, v128.load(b + o)), step);
        v128.store(b + o, step);
      }
      v128.store(w + o, f32x4.sub(wv, f32x4.mul(r, step)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const wv = load<f32>(w + o);
    const gi = load<f32>(g + o) + wd * wv;
    const vi = alpha * load<f32>(v + o) + oneMinusAlpha * gi * gi;
    store<f32>(v + o, vi);
    let step = gi / (Mathf.sqrt(vi) + eps);
    if (b != 0) {
      step = mu * load<f32>(b + o) + step;
      store<f32>(b + o, step);
    }
    store<f32>(w + o, wv - lr * step);
  }
}

/**
 * One Adam/AdamW step on `len` weights (PyTorch's form):
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w·decay − stepSize·m / (√v / √bc2 + ε),
 * with g including l2·w (Adam's L2 penalty) and decay = 1 − lr·λ for AdamW.
 */
// 1 − β arrives precomputed in double precision: 1 − 0.999 in f32 is off by 5e-5 relative.
export function adam(w: usize, g: usize, m: usize, v: usize, len: i32, beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32, stepSize: f32, sqrtBc2: f32, decay: f32, l2: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const b1 = f32x4.splat(beta1), c1 = f32x4.splat(oneMinusBeta1);
    const b2 = f32x4.splat(beta2), c2 = f32x4.splat(oneMinusBeta2);
    const e = f32x4.splat(eps), st = f32x4.splat(stepSize), sb = f32x4.splat(sqrtBc2);
    const dc = f32x4.splat(decay), l = f32x4.splat(l2);
    for (; i + 4 <= len; i += 4) {
      const o = <usize>i << 2;
      const wv = v128.load(w + o);
      const gi = f32x4.add(v128.load(g + o), f32x4.mul(l, wv));
      const mi = f32x4.add(f32x4.mul(b1, v128.load(m + o)), f32x4.mul(c1, gi));
      const vi = f32x4.add(f32x4.mul(b2, v128.load(v + o)), f32x4.mul(c2, f32x4.mul(gi, gi)));
      v128.store(m + o, mi);
      v128.store(v + o, vi);
      const den = f32x4.add(f32x4.div(f32x4.sqrt(vi), sb), e);
      v128.store(w + o, f32x4.sub(f32x4.mul(wv, dc), f32x4.div(f32x4.mul(st, mi), den)));
    }
  }
  for (; i < len; i++) {
    const o = <usize>i << 2;
    const wv = load<f32>(w + o);
    const gi = load<f32>(g + o) + l2 * wv;
    const mi = beta1 * load<f32>(m + o) + oneMinusBeta1 * gi;
    const vi = beta2 * load<f32>(v + o) + oneMinusBeta2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(w + o, wv * decay - (stepSize * mi) / (Mathf.sqrt(vi) / sqrtBc2 + eps));
  }
}

/**
 * out[i, j] = bytes[rows[i]·n + j] / 255 for i < count and j < n: rows of byte images, gathered in
 * the order of `rows` (int32 row numbers) and scaled to [0, 1]. Dividing the exact float of each byte
 * by 255 rounds once, so the result equals the JavaScript table Math.fround(b / 255).
 */
export function gatherUnitBytes(bytes: usize, rows: usize, count: i32, n: i32, out: usize): void {
  for (let i = 0; i < count; i++) {
    const src = bytes + <usize>load<i32>(rows + (<usize>i << 2)) * <usize>n;
    const dst = out + ((<usize>i * n) << 2);
    let j = 0;
    if (ASC_FEATURE_SIMD) {
      const scale = f32x4.splat(255);
      for (; j + 16 <= n; j += 16) {
        const b = v128.load(src + j);
        const lo = i16x8.extend_low_i8x16_u(b);
        const hi = i16x8.extend_high_i8x16_u(b);
        const d = dst + (<usize>j << 2);
        v128.store(d, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(lo)), scale));
        v128.store(d, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(lo)), scale), 16);
        v128.store(d, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(hi)), scale), 32);
        v128.store(d, f32x4.div(f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(hi)), scale), 48);
      }
    }
    for (; j < n; j++) store<f32>(dst + (<usize>j << 2), <f32>load<u8>(src + j) / 255);
  }
}
