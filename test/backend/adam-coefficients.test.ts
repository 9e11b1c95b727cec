// The scalars of one Adam step, computed once in TypeScript for the reference and WASM backends.
import { describe, expect, it } from 'vitest';
import { type AdamStep, adamCoefficients } from '../../src/backend/backend.js';

const STEP: AdamStep = {
  lr: 0.01,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  biasCorrection1: 1 - 0.9 ** 3,
  biasCorrection2: 1 - 0.999 ** 3,
  weightDecay: 0.5,
  decoupled: false,
};

describe('adamCoefficients', () => {
  it('folds the bias corrections of step t = 3 into lr / (1 − β1³) and √(1 − β2³); Adam adds λw to the gradient', () => {
    const c = adamCoefficients(STEP);
    expect(c.stepSize).toBeCloseTo(0.01 / 0.271, 15);
    expect(c.sqrtBc2).toBeCloseTo(Math.sqrt(0.002997001), 15);
    expect(c.oneMinusBeta1).toBeCloseTo(0.1, 15);
    expect(c.oneMinusBeta2).toBeCloseTo(0.001, 15);
    expect(c.decay).toBe(1);
    expect(c.l2).toBe(0.5);
  });

  it('AdamW decays the weight by 1 − lr·λ instead', () => {
    const c = adamCoefficients({ ...STEP, decoupled: true });
    expect(c.decay).toBeCloseTo(1 - 0.005, 15);
    expect(c.l2).toBe(0);
  });
});
