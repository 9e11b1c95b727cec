// Each optimiser's default learning rate (PyTorch's), the one source the optimisers, the CLI and its
// help text read.

/** Default learning rate α by optimiser: PyTorch's 1e-2 for SGD-family and RMSProp, 1e-3 for Adam/AdamW. */
export const DEFAULT_LEARNING_RATES = {
  /** SGD: 0.01. */
  sgd: 0.01,
  /** The notes' momentum: 0.01. */
  momentum: 0.01,
  /** Nesterov: 0.01. */
  nesterov: 0.01,
  /** RMSProp: 0.01 (PyTorch's). */
  rmsprop: 0.01,
  /** Adam: 1e-3. */
  adam: 1e-3,
  /** AdamW: 1e-3. */
  adamw: 1e-3,
} as const;
