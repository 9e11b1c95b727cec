// The playground's 2-D data sets, drawn from the library's seeded Rng, and their train/test split.
import { Rng } from '../../src/index.js';
import { type DatasetName, type PlaygroundConfig, REGRESSION_DATASETS } from './config.js';
import { decodeRows, rowsAreRegression } from './own-data.js';

/** n examples of two features; `y` holds 0/1 labels or regression targets. */
export interface DataSet {
  n: number;
  /** Row-major [n, 2]. */
  x: Float32Array;
  y: Float32Array;
  regression: boolean;
  /** The plotted region: [low, high] of feature 1, then of feature 2. */
  domain: [[number, number], [number, number]];
  trainIdx: Uint32Array;
  testIdx: Uint32Array;
}

/** Generated data lies within this radius of the origin; the plot shows [−6, 6]². */
const RADIUS = 5;
const GENERATED_DOMAIN: [[number, number], [number, number]] = [
  [-6, 6],
  [-6, 6],
];

type Generator = (n: number, noise: number, rng: Rng) => { x: number[]; y: number[] };

const GENERATORS: Record<Exclude<DatasetName, 'csv'>, Generator> = {
  /** Label 1 inside a disc of radius 2.5, label 0 on a ring 3.5–5; noise jitters the points. */
  circle(n, noise, rng) {
    const x: number[] = [],
      y: number[] = [];
    for (let i = 0; i < n; i++) {
      const inside = i < n / 2;
      const r = inside ? rng.uniformRange(0, RADIUS * 0.5) : rng.uniformRange(RADIUS * 0.7, RADIUS);
      const angle = rng.uniformRange(0, 2 * Math.PI);
      x.push(
        r * Math.cos(angle) + rng.normal() * noise * RADIUS * 0.5,
        r * Math.sin(angle) + rng.normal() * noise * RADIUS * 0.5,
      );
      y.push(inside ? 1 : 0);
    }
    return { x, y };
  },
  /** Label 1 in the quadrants where x1·x2 > 0; the label is decided before the noise moves the point. */
  xor(n, noise, rng) {
    const x: number[] = [],
      y: number[] = [];
    const padding = 0.3;
    for (let i = 0; i < n; i++) {
      let a = rng.uniformRange(-RADIUS, RADIUS);
      let b = rng.uniformRange(-RADIUS, RADIUS);
      a += a > 0 ? padding : -padding;
      b += b > 0 ? padding : -padding;
      y.push(a * b > 0 ? 1 : 0);
      x.push(a + rng.normal() * noise * RADIUS * 0.5, b + rng.normal() * noise * RADIUS * 0.5);
    }
    return { x, y };
  },
  /** Two round Gaussian clouds at (2, 2) (label 1) and (−2, −2) (label 0); noise widens them. */
  gauss(n, noise, rng) {
    const x: number[] = [],
      y: number[] = [];
    const sd = 0.5 + noise * 4;
    for (let i = 0; i < n; i++) {
      const label = i < n / 2 ? 1 : 0;
      const centre = label === 1 ? 2 : -2;
      x.push(centre + rng.normal() * sd, centre + rng.normal() * sd);
      y.push(label);
    }
    return { x, y };
  },
  /** Two interleaved spiral arms, 1.75 turns each; noise jitters the points. */
  spiral(n, noise, rng) {
    const x: number[] = [],
      y: number[] = [];
    const half = Math.ceil(n / 2);
    for (let i = 0; i < n; i++) {
      const label = i < half ? 1 : 0;
      const k = label === 1 ? i : i - half;
      const r = (k / half) * RADIUS;
      const t = 1.75 * (k / half) * 2 * Math.PI + (label === 1 ? 0 : Math.PI);
      x.push(r * Math.sin(t) + rng.normal() * noise * 2, r * Math.cos(t) + rng.normal() * noise * 2);
      y.push(label);
    }
    return { x, y };
  },
  /** Regression: y = sin(0.6·x1)·cos(0.6·x2) + noise·N(0, 1), x uniform in [−5, 5]². */
  surface(n, noise, rng) {
    const x: number[] = [],
      y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.uniformRange(-RADIUS, RADIUS);
      const b = rng.uniformRange(-RADIUS, RADIUS);
      x.push(a, b);
      y.push(Math.sin(0.6 * a) * Math.cos(0.6 * b) + rng.normal() * noise);
    }
    return { x, y };
  },
  /**
   * Regression (TensorFlow Playground's multi-Gaussian): six bumps of height ±1 in two rows, at
   * x₁ ∈ {−4, 0, 4}, x₂ = ±2.5, alternating in sign, each falling linearly to 0 at distance 2; y is
   * the bump of largest |value| at the point, x uniform in [−5, 5]²; noise jitters the points after
   * their targets are set.
   */
  multigauss(n, noise, rng) {
    const x: number[] = [],
      y: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = rng.uniformRange(-RADIUS, RADIUS);
      const b = rng.uniformRange(-RADIUS, RADIUS);
      y.push(bumps(a, b));
      x.push(a + rng.normal() * noise * RADIUS * 0.5, b + rng.normal() * noise * RADIUS * 0.5);
    }
    return { x, y };
  },
};

/** Centres and signs of the multi-Gaussian data set's bumps. */
const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/** The multi-Gaussian target at (a, b): the strongest bump there. */
export function bumps(a: number, b: number): number {
  let best = 0;
  for (const [cx, cy, sign] of BUMPS) {
    const v = sign * Math.max(0, 1 - Math.hypot(a - cx, b - cy) / 2);
    if (Math.abs(v) > Math.abs(best)) best = v;
  }
  return best;
}

/**
 * The data set a configuration describes: the same configuration gives bit-identical data.
 * Generation and the split draw from one Rng(seed); the split shuffles, then takes the first
 * round(trainRatio·n) examples for training (at least one example on each side).
 */
export function generateData(
  config: Pick<PlaygroundConfig, 'dataset' | 'noise' | 'trainRatio' | 'seed' | 'points' | 'csv'>,
): DataSet {
  const rng = new Rng(config.seed);
  let xs: number[], ys: number[], regression: boolean, domain: DataSet['domain'];
  if (config.dataset === 'csv') {
    const rows = decodeRows(config.csv);
    if (rows === null) throw new Error('the CSV data in the link is malformed');
    xs = rows.flatMap((r) => [r[0], r[1]]);
    ys = rows.map((r) => r[2]);
    regression = rowsAreRegression(rows);
    domain = [paddedRange(xs, 0), paddedRange(xs, 1)];
  } else {
    ({ x: xs, y: ys } = GENERATORS[config.dataset](config.points, config.noise, rng));
    regression = REGRESSION_DATASETS.includes(config.dataset);
    domain = GENERATED_DOMAIN;
  }
  const n = ys.length;
  const order = rng.permutation(n);
  const nTrain = Math.min(n - 1, Math.max(1, Math.round(config.trainRatio * n)));
  return {
    n,
    x: Float32Array.from(xs),
    y: Float32Array.from(ys),
    regression,
    domain,
    trainIdx: order.slice(0, nTrain),
    testIdx: order.slice(nTrain),
  };
}

/** The range of feature j with 10 % margin, so the boundary is seen past the outermost points. */
function paddedRange(xs: number[], j: number): [number, number] {
  let low = Infinity,
    high = -Infinity;
  for (let i = j; i < xs.length; i += 2) {
    low = Math.min(low, xs[i]!);
    high = Math.max(high, xs[i]!);
  }
  const margin = Math.max((high - low) * 0.1, 1e-3);
  return [low - margin, high + margin];
}
