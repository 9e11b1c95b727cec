// The input features the network can be given, computed from a point's two coordinates (TensorFlow
// Playground's x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂): one pure transform used for training, the
// test points, the boundary grid and the input thumbnails alike.

export type FeatureName = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';

/** Every feature, in the order the network's inputs take them. */
export const FEATURES: readonly FeatureName[] = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];

export const DEFAULT_FEATURES: readonly FeatureName[] = ['x1', 'x2'];

/** How the page writes each feature. */
export const FEATURE_LABELS: Readonly<Record<FeatureName, string>> = {
  x1: 'x₁',
  x2: 'x₂',
  x1sq: 'x₁²',
  x2sq: 'x₂²',
  x1x2: 'x₁x₂',
  sinx1: 'sin x₁',
  sinx2: 'sin x₂',
};

/** TensorFlow Playground's link key of each feature (`?xSquared=true`), so its links' choice of features reads here. */
export const TF_FEATURE_KEYS: Readonly<Record<FeatureName, string>> = {
  x1: 'x',
  x2: 'y',
  x1sq: 'xSquared',
  x2sq: 'ySquared',
  x1x2: 'xTimesY',
  sinx1: 'sinX',
  sinx2: 'sinY',
};

/** The value of feature `name` at the point (a, b). */
export function featureValue(name: FeatureName, a: number, b: number): number {
  switch (name) {
    case 'x1':
      return a;
    case 'x2':
      return b;
    case 'x1sq':
      return a * a;
    case 'x2sq':
      return b * b;
    case 'x1x2':
      return a * b;
    case 'sinx1':
      return Math.sin(a);
    case 'sinx2':
      return Math.sin(b);
    default: {
      const unknown: never = name;
      throw new Error(`unknown feature '${String(unknown)}'`);
    }
  }
}

/**
 * The chosen features in FEATURES order without repeats, or null when there is none or one is
 * unknown (a network needs at least one input).
 */
export function canonicalFeatures(names: readonly string[]): FeatureName[] | null {
  if (!names.every((n) => (FEATURES as readonly string[]).includes(n))) return null;
  const chosen = FEATURES.filter((f) => names.includes(f));
  return chosen.length > 0 ? chosen : null;
}

/**
 * Points [n, 2] (row-major: x₁, x₂ of each row) → their features [n, features.length], row-major,
 * feature j of row i at i·k + j.
 *
 * @example
 * expandFeatures(Float32Array.of(2, 3), ['x1', 'x1x2', 'x2sq']); // Float32Array [2, 6, 9]
 */
export function expandFeatures(points: ArrayLike<number>, features: readonly FeatureName[]): Float32Array {
  if (points.length % 2 !== 0)
    throw new Error(`expandFeatures: expected [n, 2] points, got ${points.length} values (an odd count)`);
  if (features.length === 0) throw new Error('expandFeatures: no feature chosen; the network needs at least one input');
  const n = points.length / 2,
    k = features.length;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const a = points[2 * i]!,
      b = points[2 * i + 1]!;
    for (let j = 0; j < k; j++) out[i * k + j] = featureValue(features[j]!, a, b);
  }
  return out;
}

/** Whether the features are the plain coordinates (x₁, x₂), when nothing needs transforming. */
export function isIdentity(features: readonly FeatureName[]): boolean {
  return features.length === 2 && features[0] === 'x1' && features[1] === 'x2';
}
