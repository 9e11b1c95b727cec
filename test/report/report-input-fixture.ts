// A complete made-up report input: 3 epochs, 3 classes, a few 8×6 images.

import type { ReportInput } from '../../src/report/html.js';
import { CLASS_NAMES, HISTORY, PREDICTED, TRUE_LABELS } from './history-fixture.js';

/** An 8-wide, 6-high gradient image, shifted by `seed` so that images differ. */
function image(seed: number): Uint8Array {
  return Uint8Array.from({ length: 8 * 6 }, (_, i) => ((i % 8) * 32 + seed * 40) % 256);
}

/** The misclassified samples of the fixture (indices where PREDICTED differs from TRUE_LABELS). */
const WRONG = TRUE_LABELS.flatMap((t, i) => (PREDICTED[i] === t ? [] : [i]));

export function reportInput(overrides: Partial<ReportInput> = {}): ReportInput {
  return {
    title: 'Pets <3-class> run',
    history: HISTORY,
    summary: {
      layers: [
        { index: 0, type: 'dense', inputs: 48, outputs: 16, activation: 'relu', parameters: 784 },
        { index: 1, type: 'dense', inputs: 16, outputs: 3, activation: 'softmax', parameters: 51 },
      ],
      totalParameters: 835,
    },
    config: { optimizer: 'adam', lr: 0.01, epochs: 3, standardize: true, validationSplit: null },
    metrics: {
      train: { loss: 0.5, accuracy: 0.8 },
      validation: { loss: 0.7, accuracy: 0.7 },
      test: { loss: 0.75, accuracy: 5 / 9 },
    },
    classNames: CLASS_NAMES,
    evaluation: { trueLabels: TRUE_LABELS, predicted: PREDICTED },
    misclassified: WRONG.map((i, k) => ({
      pixels: image(k),
      width: 8,
      height: 6,
      trueLabel: CLASS_NAMES[TRUE_LABELS[i]!]!,
      predicted: CLASS_NAMES[PREDICTED[i]!]!,
    })),
    ...overrides,
  };
}
