// Register-blocked SGEMM: C = op(A)·op(B) or C += op(A)·op(B), for every transpose combination and
// every size, following the BLIS loop nest (pack a block of B, then micro-kernels over it).
// The SIMD micro-kernel reads A in place: it broadcasts one element of A per row of the tile, and a
// broadcast load costs the same from the rows of A (one pointer each) as from a packed panel, so
// packing A would only add a pass over it (measured: about 10% of a two-thread product). The
// scalar build packs A like B.

// Micro-tile: MR rows × NR columns of C held in registers. With fused multiply-add (relaxed SIMD)
// 6×8 = twelve f32x4 accumulators, plus two vectors of B and one broadcast of A: 15 of the 16 vector
// registers V8 uses on x64. Twelve independent chains hide the FMA latency better than eight: 6×8
// measured 4–5% faster than 4×8 on one thread. Without FMA each product needs a register of its own,
// and 6×8 spills (35% slower than 4×8), so the other builds keep 4×8.
export const MR: i32 = ASC_FEATURE_RELAXED_SIMD ? 6 : 4;
export const NR = 8;
// Cache blocking: a KC×NR sliver of packed B sits in L1 while the MR×KC slivers of A stream past it,
// MC rows of A at a time so that they stay in L2.
const KC = 256;
// MC is a whole number of micro-tile rows, so that only the last block of A has a partial tile.
const MC = 132;
const NC = 512;

/** Bytes of scratch one thread needs for `gemm` (packed A block for the scalar build, packed B block, edge tile). */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) << 2;
}

/** Rows of a micro-tile: the shared product's tasks are cut in panels of this many rows. */
export function microRows(): i32 {
  return MR;
}

/**
 * C[m×n] (leading dimension ldc) = op(A)·op(B), or += when `accumulate`. op(A) is A[m×k] (lda) or,
 * with transA, the transpose of A stored [k×m]; likewise op(B) is B[k×n] or Bᵀ with B stored [n×k].
 * Pointers are byte addresses of f32 data; `scratch` holds gemmScratchBytes() bytes.
 */
export function gemm(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, lda: i32, ldb: i32, ldc: i32, transA: bool, transB: bool, accumulate: bool, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + ((<usize>i * ldc) << 2), 0, <usize>n << 2);
    return;
  }
  const packA = scratch;
  const packB = scratch + ((<usize>MC * KC) << 2);
  const tile = packB + ((<usize>KC * NC) << 2);
  // Near-equal slices of k (784 → 4 × 196, not 3 × 256 + 16): a thin last slice would pay for a
  // pass over C and the packing set-up with little arithmetic.
  const slices = (k + KC - 1) / KC;
  const step = (k + slices - 1) / slices;
  const rowStep: usize = transA ? 4 : <usize>lda << 2;
  const kStep: usize = transA ? <usize>lda << 2 : 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += step) {
      const kc = min(step, k - pc);
      // Only the first slice of k may overwrite C; later slices add to it.
      const add = accumulate || pc > 0;
      if (transB) packBTransposed(b, ldb, pc, jc, kc, nc, packB);
      else packBPlain(b, ldb, pc, jc, kc, nc, packB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        // SIMD builds read A in place (see the top of this file); the scalar kernel wants it packed.
        if (!ASC_FEATURE_SIMD) {
          if (transA) packATransposed(a, lda, ic, pc, mc, kc, packA);
          else packAPlain(a, lda, ic, pc, mc, kc, packA);
        }
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bp = packB + ((<usize>jr * kc) << 2);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cp = c + ((<usize>(ic + ir) * ldc + jc + jr) << 2);
            if (ASC_FEATURE_SIMD) microSimd(kc, a + <usize>(ic + ir) * rowStep + <usize>pc * kStep, rowStep, kStep, bp, cp, ldc, mr, nr, add, tile);
            else microScalar(kc, packA + ((<usize>ir * kc) << 2), bp, cp, ldc, mr, nr, add, tile);
          }
        }
      }
    }
  }
}

// ---- the shared product: B (and, in the scalar build, A) packed whole, then tiles of C computed in
// panel ranges by the threads (src/backend/wasm/pool.ts and asm/tasks.ts cut the work), so that no
// thread re-packs what another already packed and the ranges can be fine-grained.

/** Floats of op(A) (m×k) packed whole: ⌈m/MR⌉ row panels of k×MR, panel i at i·k·MR. */
export function packedAFloats(m: i32, k: i32): i32 {
  return ((m + MR - 1) / MR) * MR * k;
}

/** Floats of op(B) (k×n) packed whole: ⌈n/NR⌉ column panels of k×NR, panel j at j·k·NR. */
export function packedBFloats(n: i32, k: i32): i32 {
  return ((n + NR - 1) / NR) * NR * k;
}

/** Packs row panels [first, last) of op(A) into `dst` (laid out as packedAFloats describes). */
export function packAPanels(a: usize, lda: i32, transA: bool, m: i32, k: i32, dst: usize, first: i32, last: i32): void {
  const row0 = first * MR;
  const rows = min(m, last * MR) - row0;
  if (rows <= 0) return;
  const d = dst + ((<usize>first * k * MR) << 2);
  if (transA) packATransposed(a, lda, row0, 0, rows, k, d);
  else packAPlain(a, lda, row0, 0, rows, k, d);
}

/** Packs column panels [first, last) of op(B) into `dst` (laid out as packedBFloats describes). */
export function packBPanels(b: usize, ldb: i32, transB: bool, n: i32, k: i32, dst: usize, first: i32, last: i32): void {
  const col0 = first * NR;
  const cols = min(n, last * NR) - col0;
  if (cols <= 0) return;
  const d = dst + ((<usize>first * k * NR) << 2);
  if (transB) packBTransposed(b, ldb, 0, col0, k, cols, d);
  else packBPlain(b, ldb, 0, col0, k, cols, d);
}

/** True when the shared product reads A in place (SIMD builds); the scalar build packs A first. */
export function sharedGemmReadsA(): bool {
  return ASC_FEATURE_SIMD;
}

/**
 * C (+)= the tiles of row panels [i0, i1) × column panels [j0, j1), from B packed whole at `pb` and
 * A read in place (a, lda, transA) or, in the scalar build, packed whole at `pa`.
 * k is cut into near-equal slices of at most KC, as in gemm, so that a sliver of B stays in L1;
 * rows go MC at a time so that the slivers of A they stream stay in L2.
 * `tile` is MR·NR floats of this thread's scratch for edge tiles.
 */
export function gemmPacked(pa: usize, a: usize, lda: i32, transA: bool, pb: usize, c: usize, ldc: i32, m: i32, n: i32, k: i32, accumulate: bool, i0: i32, i1: i32, j0: i32, j1: i32, tile: usize): void {
  const slices = (k + KC - 1) / KC;
  const step = (k + slices - 1) / slices;
  const rowBlock = MC / MR;
  const rowStep: usize = transA ? 4 : <usize>lda << 2;
  const kStep: usize = transA ? <usize>lda << 2 : 4;
  for (let pc = 0; pc < k; pc += step) {
    const kc = min(step, k - pc);
    const add = accumulate || pc > 0;
    for (let ib = i0; ib < i1; ib += rowBlock) {
      const ie = min(i1, ib + rowBlock);
      for (let j = j0; j < j1; j++) {
        const nr = min(NR, n - j * NR);
        const bp = pb + ((<usize>(j * k + pc) * NR) << 2);
        for (let i = ib; i < ie; i++) {
          const mr = min(MR, m - i * MR);
          const cp = c + ((<usize>i * MR * ldc + j * NR) << 2);
          if (ASC_FEATURE_SIMD) microSimd(kc, a + <usize>(i * MR) * rowStep + <usize>pc * kStep, rowStep, kStep, bp, cp, ldc, mr, nr, add, tile);
          else microScalar(kc, pa + ((<usize>(i * k + pc) * MR) << 2), bp, cp, ldc, mr, nr, add, tile);
        }
      }
    }
  }
}

// ---- packing: panels are zero-padded to MR rows / NR columns so the micro-kernel never branches.

/** B stored [k×n]: panel element (p, j) = b[(pc+p)·ldb + jc+jr+j], written at p·NR + j. */
function packBPlain(b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    let src = b + ((<usize>pc * ldb + jc + jr) << 2);
    const step = <usize>ldb << 2;
    if (ASC_FEATURE_SIMD && nr == NR) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += NR << 2;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), j < nr ? load<f32>(src + (<usize>j << 2)) : 0);
        src += step;
        dst += NR << 2;
      }
    }
  }
}

/** B stored [n×k]: panel element (p, j) = b[(jc+jr+j)·ldb + pc+p]. */
function packBTransposed(b: usize, ldb: i32, pc: i32, jc: i32, kc: i32, nc: i32, dst: usize): void {
  const row = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const src = b + ((<usize>(jc + jr) * ldb + pc) << 2);
    let p = 0;
    if (ASC_FEATURE_SIMD && nr == NR) {
      // Eight rows of B give four k-steps each; two 4×4 transposes turn them into panel rows.
      for (; p + 4 <= kc; p += 4) {
        const s = src + (<usize>p << 2);
        const d = dst + ((<usize>p * NR) << 2);
        transpose4Store(v128.load(s), v128.load(s + row), v128.load(s + 2 * row), v128.load(s + 3 * row), d, NR << 2);
        const s4 = s + 4 * row;
        transpose4Store(v128.load(s4), v128.load(s4 + row), v128.load(s4 + 2 * row), v128.load(s4 + 3 * row), d + 16, NR << 2);
      }
    }
    for (; p < kc; p++) {
      const d = dst + ((<usize>p * NR) << 2);
      for (let j = 0; j < NR; j++) store<f32>(d + (<usize>j << 2), j < nr ? load<f32>(src + <usize>j * row + (<usize>p << 2)) : 0);
    }
    dst += (<usize>kc * NR) << 2;
  }
}

// A is packed only by the scalar build (SIMD micro-kernels read it in place), so these stay scalar.

/** A stored [m×k]: panel element (i, p) = a[(ic+ir+i)·lda + pc+p], written at p·MR + i. */
function packAPlain(a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
  const row = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    const src = a + ((<usize>(ic + ir) * lda + pc) << 2);
    for (let p = 0; p < kc; p++) {
      const d = dst + ((<usize>p * MR) << 2);
      for (let i = 0; i < MR; i++) store<f32>(d + (<usize>i << 2), i < mr ? load<f32>(src + <usize>i * row + (<usize>p << 2)) : 0);
    }
    dst += (<usize>kc * MR) << 2;
  }
}

/** A stored [k×m]: panel element (i, p) = a[(pc+p)·lda + ic+ir+i]. */
function packATransposed(a: usize, lda: i32, ic: i32, pc: i32, mc: i32, kc: i32, dst: usize): void {
  const step = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    let src = a + ((<usize>pc * lda + ic + ir) << 2);
    for (let p = 0; p < kc; p++) {
      for (let i = 0; i < MR; i++) store<f32>(dst + (<usize>i << 2), i < mr ? load<f32>(src + (<usize>i << 2)) : 0);
      src += step;
      dst += MR << 2;
    }
  }
}

/** Transposes the 4×4 block whose rows are r0..r3 and stores its rows `stride` bytes apart. */
// @ts-ignore: decorator
@inline
function transpose4Store(r0: v128, r1: v128, r2: v128, r3: v128, d: usize, stride: usize): void {
  const lo01 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const lo23 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const hi01 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const hi23 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(d, v128.shuffle<f32>(lo01, lo23, 0, 1, 4, 5));
  v128.store(d + stride, v128.shuffle<f32>(lo01, lo23, 2, 3, 6, 7));
  v128.store(d + 2 * stride, v128.shuffle<f32>(hi01, hi23, 0, 1, 4, 5));
  v128.store(d + 3 * stride, v128.shuffle<f32>(hi01, hi23, 2, 3, 6, 7));
}

// ---- micro-kernels: an MR×NR tile of C from kc steps of packed A and B.

/** c + a·b: one fused instruction where relaxed SIMD is available (rounding may then differ by an ulp). */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** The build's SIMD micro-kernel: 6×8 with fused multiply-add, 4×8 without (see MR). */
// @ts-ignore: decorator
@inline
function microSimd(kc: i32, ap: usize, rowStep: usize, kStep: usize, bp: usize, cp: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  if (MR == 6) microSimd6(kc, ap, rowStep, kStep, bp, cp, ldc, mr, nr, add, tile);
  else microSimd4(kc, ap, rowStep, kStep, bp, cp, ldc, mr, nr, add, tile);
}

/**
 * An MR×NR tile of C from kc steps of a packed sliver of B and A read in place: row r of the tile's
 * A at ap + r·rowStep (rows past mr repeat row mr − 1, so nothing outside A is read), one k-step
 * every kStep bytes. Row-major A has rowStep = 4·lda and kStep = 4; A stored transposed
 * (op(A) = Aᵀ) has rowStep = 4 and kStep = 4·lda. One pointer per row, each advanced by kStep,
 * compiles to plain addressed loads; offsets added to one pointer measured 25% slower.
 */
function microSimd6(kc: i32, ap: usize, rowStep: usize, kStep: usize, bp: usize, cp: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  let a1 = ap + (mr > 1 ? rowStep : 0);
  let a2 = ap + (mr > 2 ? 2 * rowStep : a1 - ap);
  let a3 = ap + (mr > 3 ? 3 * rowStep : a2 - ap);
  let a4 = ap + (mr > 4 ? 4 * rowStep : a3 - ap);
  let a5 = ap + (mr > 5 ? 5 * rowStep : a4 - ap);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  let c40 = f32x4.splat(0), c41 = f32x4.splat(0), c50 = f32x4.splat(0), c51 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a1);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    av = v128.load32_splat(a4);
    c40 = madd(av, b0, c40);
    c41 = madd(av, b1, c41);
    av = v128.load32_splat(a5);
    c50 = madd(av, b0, c50);
    c51 = madd(av, b1, c51);
    ap += kStep;
    a1 += kStep;
    a2 += kStep;
    a3 += kStep;
    a4 += kStep;
    a5 += kStep;
    bp += NR << 2;
  }
  const full = mr == MR && nr == NR;
  const out = full ? cp : tile;
  const ld: usize = full ? <usize>ldc << 2 : NR << 2;
  const acc = add && full;
  storeRow(out, c00, c01, acc);
  storeRow(out + ld, c10, c11, acc);
  storeRow(out + 2 * ld, c20, c21, acc);
  storeRow(out + 3 * ld, c30, c31, acc);
  storeRow(out + 4 * ld, c40, c41, acc);
  storeRow(out + 5 * ld, c50, c51, acc);
  if (!full) copyTile(tile, cp, ldc, mr, nr, add);
}

/** microSimd6 for four rows: the build without fused multiply-add needs a register per product. */
function microSimd4(kc: i32, ap: usize, rowStep: usize, kStep: usize, bp: usize, cp: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  let a1 = ap + (mr > 1 ? rowStep : 0);
  let a2 = ap + (mr > 2 ? 2 * rowStep : a1 - ap);
  let a3 = ap + (mr > 3 ? 3 * rowStep : a2 - ap);
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let av = v128.load32_splat(ap);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(a1);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(a2);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(a3);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    ap += kStep;
    a1 += kStep;
    a2 += kStep;
    a3 += kStep;
    bp += NR << 2;
  }
  storeTile4(c00, c01, c10, c11, c20, c21, c30, c31, cp, ldc, mr, nr, add, tile);
}

/** Writes (or adds) the accumulated tile to C; edge tiles go through `tile` so that only the valid mr×nr part of C is touched. */
// @ts-ignore: decorator
@inline
function storeTile4(c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128, cp: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  const full = mr == 4 && nr == NR;
  const out = full ? cp : tile;
  const ld: usize = full ? <usize>ldc << 2 : NR << 2;
  const acc = add && full;
  storeRow(out, c00, c01, acc);
  storeRow(out + ld, c10, c11, acc);
  storeRow(out + 2 * ld, c20, c21, acc);
  storeRow(out + 3 * ld, c30, c31, acc);
  if (!full) copyTile(tile, cp, ldc, mr, nr, add);
}

// @ts-ignore: decorator
@inline
function storeRow(d: usize, x0: v128, x1: v128, add: bool): void {
  if (add) {
    v128.store(d, f32x4.add(v128.load(d), x0));
    v128.store(d, f32x4.add(v128.load(d, 16), x1), 16);
  } else {
    v128.store(d, x0);
    v128.store(d, x1, 16);
  }
}

function microScalar(kc: i32, ap: usize, bp: usize, cp: usize, ldc: i32, mr: i32, nr: i32, add: bool, tile: usize): void {
  memory.fill(tile, 0, (MR * NR) << 2);
  // One row of the tile at a time keeps NR accumulators in locals.
  for (let i = 0; i < MR; i++) {
    let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0, s4: f32 = 0, s5: f32 = 0, s6: f32 = 0, s7: f32 = 0;
    let a = ap + (<usize>i << 2);
    let bq = bp;
    for (let p = 0; p < kc; p++) {
      const x = load<f32>(a);
      s0 += x * load<f32>(bq);
      s1 += x * load<f32>(bq, 4);
      s2 += x * load<f32>(bq, 8);
      s3 += x * load<f32>(bq, 12);
      s4 += x * load<f32>(bq, 16);
      s5 += x * load<f32>(bq, 20);
      s6 += x * load<f32>(bq, 24);
      s7 += x * load<f32>(bq, 28);
      a += MR << 2;
      bq += NR << 2;
    }
    const t = tile + ((<usize>i * NR) << 2);
    store<f32>(t, s0);
    store<f32>(t, s1, 4);
    store<f32>(t, s2, 8);
    store<f32>(t, s3, 12);
    store<f32>(t, s4, 16);
    store<f32>(t, s5, 20);
    store<f32>(t, s6, 24);
    store<f32>(t, s7, 28);
  }
  copyTile(tile, cp, ldc, mr, nr, add);
}

/** C[0:mr, 0:nr] (+)= tile, the tile stored with row stride NR. */
function copyTile(tile: usize, cp: usize, ldc: i32, mr: i32, nr: i32, add: bool): void {
  for (let i = 0; i < mr; i++) {
    const t = tile + ((<usize>i * NR) << 2);
    const d = cp + ((<usize>i * ldc) << 2);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      store<f32>(d + o, add ? load<f32>(d + o) + load<f32>(t + o) : load<f32>(t + o));
    }
  }
}
