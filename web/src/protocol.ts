// The messages between the page and the training worker.
import type { GradCheckReport } from '../../src/index.js';
import type { PlaygroundConfig } from './config.js';
import type { Snapshot } from './session.js';

/** Page → worker. Any configuration change is a `reset` with the new configuration. */
export type ToWorker =
  | { type: 'reset'; config: PlaygroundConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  /** The page has taken the last snapshot: the worker may train the next chunk and send another. */
  | { type: 'ack' }
  | { type: 'gradcheck' };

/** Worker → page. */
export type FromWorker =
  | { type: 'snapshot'; snapshot: Snapshot; running: boolean }
  | { type: 'gradcheck'; report: GradCheckReport; step: number }
  | { type: 'warning'; message: string }
  | { type: 'error'; message: string };
