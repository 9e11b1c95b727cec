// The input check of inference: where the first NaN or ±Infinity is, so that predict validates its
// input at memory speed instead of in a scalar JavaScript loop.

/** The index of the first element of x[0..length) that is NaN or ±Infinity, or −1 when all are finite. */
export function firstNonFinite(x: usize, length: i32): i32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // v − v is 0 for a finite v and NaN for NaN and ±Infinity; NaN ≠ 0, so one compare finds both.
    const zero = f32x4.splat(0);
    for (; i + 16 <= length; i += 16) {
      const p = x + (<usize>i << 2);
      const a = v128.load(p), b = v128.load(p, 16), c = v128.load(p, 32), d = v128.load(p, 48);
      const bad = v128.or(
        v128.or(f32x4.ne(f32x4.sub(a, a), zero), f32x4.ne(f32x4.sub(b, b), zero)),
        v128.or(f32x4.ne(f32x4.sub(c, c), zero), f32x4.ne(f32x4.sub(d, d), zero)),
      );
      // The scalar loop below finds which of these sixteen it was.
      if (v128.any_true(bad)) break;
    }
  }
  for (; i < length; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v - v != 0) return i;
  }
  return -1;
}
