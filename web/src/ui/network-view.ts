// The network as nodes and edges: each edge's width and colour show its weight, each node its own output over the plane.
import type { Snapshot } from '../session.js';
import { fitCanvas, paintAtlas } from './canvas.js';
import { NEGATIVE_CSS, POSITIVE_CSS } from './colors.js';

interface Node {
  x: number;
  y: number;
}

/**
 * Draws inputs → hidden layers → outputs. Hidden neurons share one colour scale per layer (its
 * largest |output| on the grid), so identical neurons look identical; `outputScale` maps the output
 * layer's values as the boundary does.
 */
export function drawNetwork(canvas: HTMLCanvasElement, s: Snapshot, outputScale: (v: number) => number): void {
  const widths = [2, ...s.layers.map((l) => l.outputs)];
  const columns = widths.length;
  const maxUnits = Math.max(...widths);
  const cssWidth = Math.max(1, canvas.clientWidth || canvas.width);
  const size = Math.max(14, Math.min(44, cssWidth / (columns * 2.2), 320 / (maxUnits * 1.35)));
  const gap = size * 1.35;
  const labelSpace = 18;
  const cssHeight = maxUnits * gap + labelSpace + 6;
  const { ctx, width, height } = fitCanvas(canvas, cssHeight / cssWidth);
  ctx.clearRect(0, 0, width, height);

  const colX = (c: number): number => size / 2 + 8 + (c * (width - size - 16)) / Math.max(1, columns - 1);
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
        const a = nodes[l]![i]!, b = nodes[l + 1]![j]!;
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
  const maps: ((i: number) => number)[] = [
    (i) => (((i % g) + 0.5) / g) * 2 - 1,
    (i) => 1 - ((Math.floor(i / g) + 0.5) / g) * 2,
  ];
  s.layers.forEach((layer, l) => {
    const out = s.neurons[l]!;
    const units = layer.outputs;
    const last = l === s.layers.length - 1;
    let scale = 1e-9;
    if (!last) for (const v of out) scale = Math.max(scale, Math.abs(v));
    for (let u = 0; u < units; u++) maps.push(last ? (i) => outputScale(out[i * units + u]!) : (i) => out[i * units + u]! / scale);
  });
  const tiles = paintAtlas(g, maps);
  ctx.imageSmoothingEnabled = true;
  ctx.lineWidth = 1;
  ctx.strokeStyle = '#1d2330';
  nodes.flat().forEach((n, k) => {
    ctx.drawImage(tiles, k * g, 0, g, g, n.x - size / 2, n.y - size / 2, size, size);
    ctx.strokeRect(n.x - size / 2, n.y - size / 2, size, size);
  });

  ctx.fillStyle = '#5b6475';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  widths.forEach((units, c) => {
    const label = c === 0 ? 'inputs' : c === columns - 1 ? 'output' : `layer ${c} (${units})`;
    ctx.fillText(columns > 6 && c > 0 && c < columns - 1 ? `${units}` : label, colX(c), 2);
  });
}
