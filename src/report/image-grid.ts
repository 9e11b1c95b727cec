// The grid of misclassified images in the report: each image inlined as a PNG data URL with its
// true and predicted labels underneath.

import { escapeHtml } from './escape.js';
import { grayPngDataUrl } from './png.js';

/** One image to show: grayscale or interleaved RGB bytes (row-major, 0..255) and its labels. */
export interface LabelledImage {
  pixels: Uint8Array;
  width: number;
  height: number;
  /** 1 (gray, the default) or 3 (RGB). */
  channels?: 1 | 3;
  trueLabel: string;
  predicted: string;
}

/** Options of {@link imageGridHtml}. */
export interface ImageGridOptions {
  /** At most this many images are shown (default 36). */
  limit?: number;
  /** Displayed size of the longer side in CSS pixels (default 72); pixels stay sharp. */
  displaySize?: number;
}

/**
 * A `<div class="image-grid">` of `<figure>`s, one per image (the first `limit`), each an `<img>`
 * with a PNG data URL and a caption "true → predicted". Styling is left to the page's CSS.
 */
export function imageGridHtml(images: readonly LabelledImage[], options: ImageGridOptions = {}): string {
  const limit = options.limit ?? 36;
  const size = options.displaySize ?? 72;
  const figures = images.slice(0, limit).map((image) => {
    const scale = size / Math.max(image.width, image.height);
    const w = Math.round(image.width * scale);
    const h = Math.round(image.height * scale);
    const alt = `true ${image.trueLabel}, predicted ${image.predicted}`;
    return (
      `<figure><img src="${grayPngDataUrl(image.pixels, image.width, image.height, image.channels ?? 1)}" width="${w}" height="${h}" alt="${escapeHtml(alt)}">` +
      `<figcaption><span class="true">${escapeHtml(image.trueLabel)}</span> → <span class="pred">${escapeHtml(image.predicted)}</span></figcaption></figure>`
    );
  });
  return `<div class="image-grid">${figures.join('')}</div>`;
}
