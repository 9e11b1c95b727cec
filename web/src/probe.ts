// A square grid over the plotted region and what the network and each hidden neuron output on it.
import { type Scaler, type Sequential, Tensor } from '../../src/index.js';
import type { DataSet } from './datasets.js';

/** Points per side of the probe grid: fine enough for a smooth heat map, cheap every frame. */
export const GRID_SIZE = 48;

/**
 * The grid's inputs [size², 2], row-major from the top-left corner: point r·size + c lies in row r
 * (feature 2 decreasing downwards, as on screen) and column c (feature 1 increasing rightwards),
 * at the centre of its cell. Scaled by `scaler` when the network sees standardised inputs.
 */
export function gridInputs(
  domain: DataSet['domain'],
  size: number,
  scaler: Scaler | null,
  transform: (grid: Tensor) => Tensor = (g) => g,
): Tensor {
  const [[lo1, hi1], [lo2, hi2]] = domain;
  const data = new Float32Array(size * size * 2);
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const p = (r * size + c) * 2;
      data[p] = lo1 + ((c + 0.5) / size) * (hi1 - lo1);
      data[p + 1] = hi2 - ((r + 0.5) / size) * (hi2 - lo2);
    }
  }
  const grid = transform(new Tensor(data, [size * size, 2]));
  return scaler ? scaler.transform(grid) : grid;
}

/** Every dense layer's output on the grid, [points, units] row-major, in layer order (copies). */
export function layerOutputs(model: Sequential, grid: Tensor): Float32Array[] {
  const outputs: Float32Array[] = [];
  let a = grid;
  for (const layer of model.network.layers) {
    a = layer.forward(a, { training: false });
    // Layers own (and reuse) their output buffers: keep a copy before the next forward.
    if (layer.type === 'dense') outputs.push(Float32Array.from(a.data));
  }
  return outputs;
}

/**
 * The plotted value of each grid point from the output layer's [points, outputs]: the probability
 * of class 1 (sigmoid output, or the second softmax unit) or the regression value (always a new array).
 */
export function plottedOutput(output: Float32Array, outputs: number): Float32Array {
  if (outputs === 1) return output.slice();
  const points = output.length / outputs;
  const p = new Float32Array(points);
  for (let i = 0; i < points; i++) p[i] = output[i * outputs + 1]!;
  return p;
}
