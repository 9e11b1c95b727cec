// The network as nodes and edges: each edge's width and colour show its weight, each node its own output over the plane.
import type { Snapshot } from '../session.js';
import { fitCanvas, paintAtlas } from './canvas.js';
import { NEGATIVE_CSS, POSITIVE_CSS } from './colors.js';

interface Node {
  x: number;
  y: number;
}

/** The network's inputs as the view shows them: each feature's name and its values on the probe grid. */
export interface InputView {
  labels: string[];
  /** [points, features] row-major, on the snapshot's grid. */
  values: Float32Array;
}

/** A drawn node: where its square is (CSS pixels) and its heat map, for the enlarged view on hover. */
export interface NodeTile {
  x: number;
  y: number;
  size: number;
  label: string;
  /** Grid point i's position on the colour scale, in [−1, 1]. */
  value: (i: number) => number;
}

/**
 * Draws inputs → hidden layers → outputs. Hidden neurons share one colour scale per layer (its
 * largest |output| on the grid), so identical neurons look identical; `outputScale` maps the output
 * layer's values as the boundary does. Each input shows its feature over the plane, scaled by its
 * largest |value|. Returns the nodes drawn, inputs first.
 */
export function drawNetwork(
  canvas: HTMLCanvasElement,
  s: Snapshot,
  outputScale: (v: number) => number,
  inputs: InputView,
): NodeTile[] {
  const features = inputs.labels.length;
  const widths = [features, ...s.layers.map((l) => l.outputs)];
  const columns = widths.length;
  const maxUnits = Math.max(...widths);
  const cssWidth = Math.max(1, canvas.clientWidth || canvas.width);
  const size = Math.max(14, Math.min(44, cssWidth / (columns * 2.2), 320 / (maxUnits * 1.35)));
  const gap = size * 1.35;
  const labelSpace = 18;
  const cssHeight = maxUnits * gap + labelSpace + 6;
  const { ctx, width, height } = fitCanvas(canvas, cssHeight / cssWidth);
  ctx.clearRect(0, 0, width, height);

  // Room on the left for the features' names.
  const labelWidth = 40;
  const colX = (c: number): number =>
    labelWidth + size / 2 + 8 + (c * (width - labelWidth - size - 16)) / Math.max(1, columns - 1);
  const nodes: Node[][] = widths.map((units, c) => {
    const top = labelSpace + (height - labelSpace - units * gap) / 2 + gap / 2;
    return Array.from({ length: units }, (_, u) => ({ x: colX(c), y: top + u * gap }));
  });

  // Edges first, under the nodes; the thickest edge sets the scale so small weights stay visible.
  let maxAbs = 1e-9;
  for (const l of s.layers) for (const w of l.weight) maxAbs = Math.max(maxAbs, Math.abs(w));
  s.layers.forEach((layer, l) => {
    for (let j = 0; j < layer.outputs; j++) {
      for (let i = 0; i < layer.inputs; i++) {
        const w = layer.weight[j * layer.inputs + i]!;
        const a = nodes[l]![i]!,
          b = nodes[l + 1]![j]!;
        ctx.beginPath();
        ctx.moveTo(a.x + size / 2, a.y);
        ctx.lineTo(b.x - size / 2, b.y);
        ctx.lineWidth = 0.5 + 5.5 * (Math.abs(w) / Math.max(maxAbs, 1));
        ctx.strokeStyle = w >= 0 ? POSITIVE_CSS : NEGATIVE_CSS;
        ctx.globalAlpha = 0.25 + 0.7 * Math.min(1, Math.abs(w) / maxAbs);
        ctx.stroke();
      }
    }
  });
  ctx.globalAlpha = 1;

  // Every node's heat map in one atlas: inputs (x₁ grows to the right, x₂ upwards, as on the
  // boundary plot), then each layer's neurons. Hidden layers share one scale per layer.
  const g = s.gridSize;
  const maps: ((i: number) => number)[] = [];
  for (let j = 0; j < features; j++) {
    let scale = 1e-9;
    for (let i = j; i < inputs.values.length; i += features) scale = Math.max(scale, Math.abs(inputs.values[i]!));
    maps.push((i) => inputs.values[i * features + j]! / scale);
  }
  s.layers.forEach((layer, l) => {
    const out = s.neurons[l]!;
    const units = layer.outputs;
    const last = l === s.layers.length - 1;
    let scale = 1e-9;
    if (!last) for (const v of out) scale = Math.max(scale, Math.abs(v));
    for (let u = 0; u < units; u++)
      maps.push(last ? (i) => outputScale(out[i * units + u]!) : (i) => out[i * units + u]! / scale);
  });
  const tiles = paintAtlas(g, maps);
  ctx.imageSmoothingEnabled = true;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#1d2330';
  const names = widths.flatMap((units, c) =>
    Array.from({ length: units }, (_, u) =>
      c === 0
        ? inputs.labels[u]!
        : c === columns - 1
          ? units > 1
            ? `output ${u + 1}`
            : 'output'
          : `layer ${c}, neuron ${u + 1}`,
    ),
  );
  const drawn: NodeTile[] = nodes.flat().map((n, k) => {
    ctx.drawImage(tiles, k * g, 0, g, g, n.x - size / 2, n.y - size / 2, size, size);
    ctx.strokeRect(n.x - size / 2, n.y - size / 2, size, size);
    return { x: n.x, y: n.y, size, label: names[k]!, value: maps[k]! };
  });

  ctx.fillStyle = '#5b6475';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  widths.forEach((units, c) => {
    const label = c === 0 ? 'inputs' : c === columns - 1 ? 'output' : `layer ${c} (${units})`;
    ctx.fillText(columns > 6 && c > 0 && c < columns - 1 ? `${units}` : label, colX(c), 2);
  });
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  nodes[0]!.forEach((n, j) => ctx.fillText(inputs.labels[j]!, n.x - size / 2 - 4, n.y));
  return drawn;
}
