// Inverted dropout with masks drawn by Philox4x32-10, and the element-wise product of its backward
// pass. src/core/philox.ts is the TypeScript twin and describes the layout: the low (h = 0) and high
// (h = 1) halves of word j of block 4g + l (counter [4g + l, 0, 0, 0]) decide element
// 32g + 8j + 4h + l, so SIMD lanes compute four blocks and store their draws in order, and any
// multiple of 32 can start a thread's share.

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;
const ROUNDS = 10;

/** mask[e] = scale if draw < threshold else 0; out[e] = x[e]·mask[e]. */
// @ts-ignore: decorator
@inline
function keepOne(x: usize, out: usize, mask: usize, e: i32, draw: u32, threshold: u32, scale: f32): void {
  const o = <usize>e << 2;
  const m: f32 = draw < threshold ? scale : 0;
  store<f32>(mask + o, m);
  store<f32>(out + o, load<f32>(x + o) * m);
}

/** The elements below `end` that block 4g + l decides, one Philox block in scalar code. */
function dropoutBlock(x: usize, out: usize, mask: usize, g: i32, l: i32, end: i32, k0: u32, k1: u32, threshold: u32, scale: f32): void {
  let c0 = <u32>(4 * g + l), c1: u32 = 0, c2: u32 = 0, c3: u32 = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const n0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    c1 = <u32>p1;
    c2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c3 = <u32>p0;
    c0 = n0;
    k0 += W0;
    k1 += W1;
  }
  const base = 32 * g + l;
  for (let j = 0; j < 4; j++) {
    const word = j === 0 ? c0 : j === 1 ? c1 : j === 2 ? c2 : c3;
    const e = base + 8 * j;
    if (e < end) keepOne(x, out, mask, e, word & 0xffff, threshold, scale);
    if (e + 4 < end) keepOne(x, out, mask, e + 4, word >>> 16, threshold, scale);
  }
}

/** High 32-bit halves of four unsigned products a·b, as i32x4 lanes. */
// @ts-ignore: decorator
@inline
function mulHigh(a: v128, b: v128): v128 {
  return v128.shuffle<u32>(i64x2.extmul_low_i32x4_u(a, b), i64x2.extmul_high_i32x4_u(a, b), 1, 3, 5, 7);
}

/** The masks and products of the eight elements that the four lanes' words decide (e, e + 4: low and high halves). */
// @ts-ignore: decorator
@inline
function keepEight(x: usize, out: usize, mask: usize, e: i32, words: v128, threshold: v128, scale: v128): void {
  const o = <usize>e << 2;
  const low = v128.and(i32x4.lt_u(v128.and(words, i32x4.splat(0xffff)), threshold), scale);
  const high = v128.and(i32x4.lt_u(i32x4.shr_u(words, 16), threshold), scale);
  v128.store(mask + o, low);
  v128.store(out + o, f32x4.mul(v128.load(x + o), low));
  v128.store(mask + o, high, 16);
  v128.store(out + o, f32x4.mul(v128.load(x + o, 16), high), 16);
}

/**
 * Dropout on elements [first, end) of x (first a multiple of 32): mask[e] = scale when element e is
 * kept (its 16-bit draw is below `threshold`, at most 2^16), else 0, and out[e] = x[e]·mask[e].
 * `out` may be `x`.
 */
export function dropout(x: usize, out: usize, mask: usize, first: i32, end: i32, key0: i32, key1: i32, threshold: i32, scale: f32): void {
  let g = first >> 5;
  if (ASC_FEATURE_SIMD) {
    const m0 = i32x4.splat(M0), m1 = i32x4.splat(M1), w0 = i32x4.splat(W0), w1 = i32x4.splat(W1);
    const zero = i32x4.splat(0);
    const t = i32x4.splat(threshold), s = f32x4.splat(scale);
    const lanes = i32x4(0, 1, 2, 3);
    // Two groups at a time: a round's products wait for the previous round's, and a second,
    // independent chain fills that wait. A last odd group and a partial one take the scalar loop.
    for (; 32 * g + 64 <= end; g += 2) {
      let c0 = i32x4.add(i32x4.splat(4 * g), lanes), c1 = zero, c2 = zero, c3 = zero;
      let d0 = i32x4.add(c0, i32x4.splat(4)), d1 = zero, d2 = zero, d3 = zero;
      let k0 = i32x4.splat(key0), k1 = i32x4.splat(key1);
      for (let r = 0; r < ROUNDS; r++) {
        const hi0 = mulHigh(c0, m0), lo0 = i32x4.mul(c0, m0);
        const hi1 = mulHigh(c2, m1), lo1 = i32x4.mul(c2, m1);
        const ei0 = mulHigh(d0, m0), eo0 = i32x4.mul(d0, m0);
        const ei1 = mulHigh(d2, m1), eo1 = i32x4.mul(d2, m1);
        c0 = v128.xor(v128.xor(hi1, c1), k0);
        c1 = lo1;
        c2 = v128.xor(v128.xor(hi0, c3), k1);
        c3 = lo0;
        d0 = v128.xor(v128.xor(ei1, d1), k0);
        d1 = eo1;
        d2 = v128.xor(v128.xor(ei0, d3), k1);
        d3 = eo0;
        k0 = i32x4.add(k0, w0);
        k1 = i32x4.add(k1, w1);
      }
      const e = 32 * g;
      keepEight(x, out, mask, e, c0, t, s);
      keepEight(x, out, mask, e + 8, c1, t, s);
      keepEight(x, out, mask, e + 16, c2, t, s);
      keepEight(x, out, mask, e + 24, c3, t, s);
      keepEight(x, out, mask, e + 32, d0, t, s);
      keepEight(x, out, mask, e + 40, d1, t, s);
      keepEight(x, out, mask, e + 48, d2, t, s);
      keepEight(x, out, mask, e + 56, d3, t, s);
    }
  }
  for (; 32 * g < end; g++) {
    for (let l = 0; l < 4; l++) dropoutBlock(x, out, mask, g, l, end, <u32>key0, <u32>key1, <u32>threshold, scale);
  }
}

/** out[i] = a[i]·b[i] for i in [first, end). */
export function multiply(a: usize, b: usize, out: usize, first: i32, end: i32): void {
  let i = first;
  if (ASC_FEATURE_SIMD) {
    for (; i + 4 <= end; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
    }
  }
  for (; i < end; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}
