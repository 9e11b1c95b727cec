// Canvas helpers: a backing store that matches the displayed size, and a grid of values painted as a heat map.
import { writeColor } from './colors.js';

/** Resizes the canvas backing store to its CSS size × devicePixelRatio; returns a context in CSS pixels. */
export function fitCanvas(
  canvas: HTMLCanvasElement,
  aspect: number,
): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const dpr = window.devicePixelRatio || 1;
  const width = Math.max(1, canvas.clientWidth || canvas.width);
  const height = Math.round(width * aspect);
  if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser has no 2-D canvas');
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return { ctx, width, height };
}

const scratch = new Map<number, { canvas: HTMLCanvasElement; image: ImageData }>();

/**
 * Draws size×size values (row-major, top row first) into the rectangle, smoothly scaled. `value(i)`
 * gives grid point i's position on the colour scale, in [−1, 1].
 */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  size: number,
  value: (i: number) => number,
  x: number,
  y: number,
  w: number,
  h: number,
): void {
  let s = scratch.get(size);
  if (!s) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const c = canvas.getContext('2d')!;
    s = { canvas, image: c.createImageData(size, size) };
    scratch.set(size, s);
  }
  const rgba = s.image.data;
  for (let i = 0; i < size * size; i++) writeColor(value(i), rgba, i * 4);
  s.canvas.getContext('2d')!.putImageData(s.image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(s.canvas, x, y, w, h);
}

let atlas: { canvas: HTMLCanvasElement; image: ImageData } | null = null;

/**
 * Paints several size×size heat maps side by side on one shared canvas with a single putImageData
 * (one upload instead of one per map, which is what keeps the network view cheap every frame) and
 * returns it: map k occupies the columns [k·size, (k+1)·size).
 */
export function paintAtlas(size: number, maps: readonly ((i: number) => number)[]): HTMLCanvasElement {
  const width = size * Math.max(1, maps.length);
  if (!atlas || atlas.image.width !== width || atlas.image.height !== size) {
    const canvas = atlas?.canvas ?? document.createElement('canvas');
    canvas.width = width;
    canvas.height = size;
    atlas = { canvas, image: canvas.getContext('2d')!.createImageData(width, size) };
  }
  const rgba = atlas.image.data;
  maps.forEach((value, k) => {
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) writeColor(value(r * size + c), rgba, (r * width + k * size + c) * 4);
    }
  });
  atlas.canvas.getContext('2d')!.putImageData(atlas.image, 0, 0);
  return atlas.canvas;
}
