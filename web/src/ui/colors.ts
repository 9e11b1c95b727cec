// The colour scale shared by every heat map: orange for class 0 / negative, white for the middle, blue for class 1 / positive.

const NEGATIVE = [245, 147, 34] as const;
const MIDDLE = [245, 246, 248] as const;
const POSITIVE = [8, 119, 189] as const;

export const NEGATIVE_CSS = `rgb(${NEGATIVE.join(',')})`;
export const POSITIVE_CSS = `rgb(${POSITIVE.join(',')})`;

/** Writes the colour of t ∈ [−1, 1] (clamped) into rgba at `offset`, fully opaque. */
export function writeColor(t: number, rgba: Uint8ClampedArray, offset: number): void {
  const s = Number.isFinite(t) ? Math.max(-1, Math.min(1, t)) : 0;
  const end = s < 0 ? NEGATIVE : POSITIVE;
  const w = Math.abs(s);
  rgba[offset] = MIDDLE[0] + (end[0] - MIDDLE[0]) * w;
  rgba[offset + 1] = MIDDLE[1] + (end[1] - MIDDLE[1]) * w;
  rgba[offset + 2] = MIDDLE[2] + (end[2] - MIDDLE[2]) * w;
  rgba[offset + 3] = 255;
}

/** CSS colour of t ∈ [−1, 1]. */
export function cssColor(t: number): string {
  const rgba = new Uint8ClampedArray(4);
  writeColor(t, rgba, 0);
  return `rgb(${rgba[0]},${rgba[1]},${rgba[2]})`;
}

/** Distinct colours for the lines of per-layer charts. */
export const SERIES_COLORS = ['#2463c9', '#d1495b', '#2a9d8f', '#8e5cc4', '#e9a03b', '#555f6e', '#3d8b37'];
