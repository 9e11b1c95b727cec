// The messages between the page and the training worker.
import type { GradCheckReport } from '../../src/index.js';
import type { PlaygroundConfig } from './config.js';
import type { DataSet } from './datasets.js';
import type { Snapshot } from './session.js';
import type { Walkthrough } from './walkthrough.js';

/** Page → worker. */
export type ToWorker =
  /**
   * A new run (architecture, data or initialisation changed) on `data`, the page's
   * generateData(config); `config.steps` steps are replayed first.
   */
  | { type: 'reset'; config: PlaygroundConfig; data: DataSet }
  /** Learning rate, momentum, batch size, L2 or optimiser changed: the run keeps its weights and step count. */
  | { type: 'update'; config: PlaygroundConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  /** The page has drawn snapshot `seq` (and every earlier one): the worker may train the next chunk. */
  | { type: 'ack'; seq: number }
  /** Walk the next batch through the network phase by phase (and train on it). */
  | { type: 'walk' }
  /** `plantBug`: check a backward pass with g′(z) dropped in the first layer. */
  | { type: 'gradcheck'; plantBug: boolean };

/** Replaying the `steps` of a link: how far it has got. */
export interface Replay {
  done: number;
  total: number;
}

/** The backend the worker computes on. */
export interface BackendInfo {
  name: 'wasm' | 'reference';
  /** WASM: its kernel build (relaxed, simd, scalar) and threads; reference: why WASM did not load. */
  detail: string;
  threads: number;
}

/** Worker → page. `seq` counts the snapshots of the worker's lifetime, so an ack names which one was drawn. */
export type FromWorker =
  /** Sent once, before the first snapshot. */
  | { type: 'backend'; backend: BackendInfo }
  | { type: 'snapshot'; seq: number; snapshot: Snapshot; running: boolean; replay: Replay | null }
  | { type: 'gradcheck'; report: GradCheckReport; step: number; plantBug: boolean }
  | { type: 'walk'; walk: Walkthrough }
  | { type: 'warning'; message: string }
  | { type: 'error'; message: string };
