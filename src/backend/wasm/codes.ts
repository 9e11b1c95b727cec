// Activation codes shared with asm/elementwise.ts, which switches on the same numbers.
import type { ActivationName } from '../backend.js';

export const ACTIVATION_CODES: Record<ActivationName, number> = {
  linear: 0,
  sigmoid: 1,
  relu: 2,
  leaky_relu: 3,
  tanh: 4,
  softmax: 5,
};
