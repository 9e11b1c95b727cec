// A small made-up training history and classification result shared by the report tests.

import type { History } from '../../src/train/history.js';

/** Three epochs with loss, accuracy and their validation forms. */
export const HISTORY: History = [
  { epoch: 1, loss: 1.2, seconds: 0.5, lr: 0.01, accuracy: 0.4, val_loss: 1.3, val_accuracy: 0.35 },
  { epoch: 2, loss: 0.8, seconds: 0.5, lr: 0.01, accuracy: 0.6, val_loss: 0.95, val_accuracy: 0.55 },
  { epoch: 3, loss: 0.5, seconds: 0.5, lr: 0.01, accuracy: 0.8, val_loss: 0.7, val_accuracy: 0.7 },
];

export const CLASS_NAMES = ['cat', 'dog', 'bird'];

/** 9 samples; matrix [[2,1,0],[0,1,1],[1,1,2]]. */
export const TRUE_LABELS = [0, 0, 0, 1, 1, 2, 2, 2, 2];
export const PREDICTED = [0, 1, 0, 1, 2, 2, 2, 0, 1];

/** Counts the rendered items whose aria-roledescription is exactly `role` ("point", "rect mark", ...). */
export function countRole(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}
