// An enlarged copy of one node's heat map beside the network view, for the node under the pointer
// or, from the keyboard, the node chosen with the arrow keys while the view has focus.
import { drawHeatmap, fitCanvas } from './canvas.js';
import type { NodeTile } from './network-view.js';

export class NodeZoom {
  private tiles: NodeTile[] = [];
  private gridSize = 0;
  /** The node shown, or null when the enlarged view is hidden. */
  private active: number | null = null;
  private readonly canvas: HTMLCanvasElement;
  private readonly caption: HTMLElement;

  constructor(
    private readonly view: HTMLCanvasElement,
    private readonly popup: HTMLElement,
  ) {
    this.canvas = popup.querySelector('canvas')!;
    this.caption = popup.querySelector('.caption')!;
    view.addEventListener('pointermove', (event) => this.show(this.nodeAt(event.offsetX, event.offsetY)));
    view.addEventListener('pointerleave', () => this.show(null));
    view.addEventListener('blur', () => this.show(null));
    view.addEventListener('keydown', (event) => {
      const n = this.tiles.length;
      if (n === 0) return;
      const step =
        event.key === 'ArrowDown' || event.key === 'ArrowRight'
          ? 1
          : event.key === 'ArrowUp' || event.key === 'ArrowLeft'
            ? -1
            : 0;
      if (step !== 0) {
        event.preventDefault();
        this.show(this.active === null ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n);
      } else if (event.key === 'Escape') {
        this.show(null);
      }
    });
  }

  /** Takes the nodes of the frame just drawn; an open enlargement follows the new values. */
  update(tiles: NodeTile[], gridSize: number): void {
    this.tiles = tiles;
    this.gridSize = gridSize;
    this.view.dataset.nodes = JSON.stringify(
      tiles.map((t) => ({ label: t.label, x: Math.round(t.x), y: Math.round(t.y) })),
    );
    if (this.active !== null && this.active >= tiles.length) this.active = null;
    this.show(this.active);
  }

  private nodeAt(x: number, y: number): number | null {
    const k = this.tiles.findIndex((t) => Math.abs(x - t.x) <= t.size / 2 && Math.abs(y - t.y) <= t.size / 2);
    return k < 0 ? null : k;
  }

  private show(k: number | null): void {
    this.active = k;
    const tile = k === null ? undefined : this.tiles[k];
    if (!tile) {
      this.popup.hidden = true;
      return;
    }
    this.popup.hidden = false;
    this.caption.textContent = tile.label;
    this.popup.dataset.node = tile.label;
    // Beside the node, on the side with more room, within the view's box.
    const width = this.view.clientWidth;
    const box = this.popup.offsetWidth || 170;
    const right = tile.x + tile.size / 2 + 8;
    this.popup.style.left = `${this.view.offsetLeft + (right + box <= width ? right : Math.max(0, tile.x - tile.size / 2 - 8 - box))}px`;
    this.popup.style.top = `${this.view.offsetTop + Math.max(0, tile.y - box / 2)}px`;
    const { ctx, width: w, height: h } = fitCanvas(this.canvas, 1);
    drawHeatmap(ctx, this.gridSize, tile.value, 0, 0, w, h);
  }
}
