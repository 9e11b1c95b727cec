// What fit() returns: one flat record per epoch, Keras-style keys (loss, accuracy, val_loss, ...).

/**
 * Logs of one epoch: `epoch` (1-based), `loss` (mean training loss over the epoch's batches),
 * each compiled metric by name (`accuracy`, `mse`, ...), the same prefixed with `val_` when there
 * is validation data, `lr` (the learning rate used) and `seconds` (wall time of the epoch).
 */
export interface EpochLogs {
  /** 1-based epoch number. */
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Wall time of the epoch. */
  seconds: number;
  /** Learning rate used during the epoch. */
  lr: number;
  [metric: string]: number;
}

/** The training history: one entry per completed epoch, in order. */
export type History = EpochLogs[];
