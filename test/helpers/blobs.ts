// A small seeded classification set for training-loop tests: three Gaussian blobs in the plane.
import { Rng, Tensor } from '../../src/index.js';

/** m points (x [m, 2]) round three centres, one-hot labels y [m, 3]; row r belongs to blob r mod 3. */
export function blobs(seed: number, m = 120): { x: Tensor; y: Tensor } {
  const rng = new Rng(seed);
  const x = Tensor.zeros([m, 2]);
  const y = Tensor.zeros([m, 3]);
  for (let r = 0; r < m; r++) {
    const k = r % 3;
    x.data[r * 2] = [0, 3, -3][k]! + rng.normal() * 0.7;
    x.data[r * 2 + 1] = [3, -2, -2][k]! + rng.normal() * 0.7;
    y.data[r * 3 + k] = 1;
  }
  return { x, y };
}
