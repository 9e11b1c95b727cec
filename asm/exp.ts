// exp(x) on four lanes for x ≤ 0, the only range the activations need (they exponentiate −|z| or
// z − max). Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2, a degree-7 polynomial for e^r, times 2^n.

/** e^x for each lane of x ≤ 0; lanes below −87 give e^−87 ≈ 1.6e−38 (the true value or less). Relative error of a few ulp. */
// @ts-ignore: decorator
@inline
export function expNonPositive(x: v128): v128 {
  x = f32x4.max(x, f32x4.splat(-87));
  // Adding 1.5·2^23 rounds x·log2(e) to the nearest integer n and leaves n in the low mantissa bits.
  const magic = f32x4.splat(12582912);
  const t = f32x4.add(f32x4.mul(x, f32x4.splat(1.44269504088896341)), magic);
  const n = f32x4.sub(t, magic);
  // ln2 split in two so that n·ln2 is subtracted without rounding error.
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // 2^n built from its exponent bits; n ≥ −126 after the clamp, so the result stays normal.
  const bits = i32x4.shl(i32x4.add(i32x4.sub(t, magic), i32x4.splat(127)), 23);
  return f32x4.mul(y, bits);
}
