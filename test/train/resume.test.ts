// Checkpoint and resume: a run stopped after an epoch (or inside one) and resumed from its checkpoint
// ends with the same weight bytes and history as the uninterrupted run, on every backend.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Backend,
  type Callback,
  createWasmBackend,
  EarlyStopping,
  encodeSafetensors,
  type FitOptions,
  fitWithCheckpoints,
  loadCheckpoint,
  modelWeights,
  type OptimizerSpec,
  Rng,
  referenceBackend,
  resumeTraining,
  Sequential,
  Tensor,
  type WasmBackend,
} from '../../src/node.js';
import { scratch } from '../cli/helpers.js';

const FEATURES = 64;
const CLASSES = 10;

/** 200 examples of 64 noisy features in 10 classes: layers of 256 and 128 units are wide enough for the wasm backend to split GEMMs and optimiser steps between threads. */
function data(): { x: Tensor; y: Tensor } {
  const rng = new Rng(11);
  const m = 200;
  const x = Tensor.zeros([m, FEATURES]);
  const y = Tensor.zeros([m, CLASSES]);
  for (let r = 0; r < m; r++) {
    const k = r % CLASSES;
    for (let j = 0; j < FEATURES; j++) x.data[r * FEATURES + j] = (j % CLASSES === k ? 1.5 : 0) + rng.normal();
    y.data[r * CLASSES + k] = 1;
  }
  return { x, y };
}

function model(backend: Backend, optimizer: OptimizerSpec): Sequential {
  const m = Sequential.mlp({
    inputs: FEATURES,
    hidden: [256, 128],
    outputs: CLASSES,
    task: 'classification',
    dropout: 0.3,
    seed: 3,
    backend,
  });
  m.compile({ loss: 'cce', optimizer });
  return m;
}

const FIT: FitOptions = {
  epochs: 6,
  batchSize: 32,
  validationSplit: 0.2,
  seed: 5,
  schedule: { name: 'cosine', tMax: 6, minLr: 1e-4 },
};
const bytes = (m: Sequential): Buffer => Buffer.from(encodeSafetensors(modelWeights(m)));
const withoutTime = (h: { seconds: number }[]): unknown[] => h.map(({ seconds: _s, ...rest }) => rest);
/** Patience 1 with min_delta 0.05: its state (best, wait, best weights) matters across the break. */
const earlyStopping = (): EarlyStopping => new EarlyStopping({ patience: 1, minDelta: 0.05 });

/** Aborts the run at batch `batch` of epoch `epoch` (between batches). */
function abortAt(controller: AbortController, epoch: number, batch: number): Callback {
  let current = 0;
  return {
    onEpochBegin: (e) => void (current = e),
    onBatchEnd: (b) => void (current === epoch && b === batch && controller.abort()),
  };
}

const OPTIMIZERS: OptimizerSpec[] = [
  { name: 'adam', lr: 0.003 },
  { name: 'momentum', lr: 0.05, momentum: 0.8 },
  { name: 'nesterov', lr: 0.02, weightDecay: 1e-3 },
  { name: 'rmsprop', lr: 0.001, momentum: 0.5 },
];

const backends: { name: string; make: () => Promise<Backend> }[] = [
  { name: 'js', make: async () => referenceBackend },
  { name: 'wasm, 1 thread', make: () => createWasmBackend({ threads: 1 }) },
  { name: 'wasm, 2 threads', make: () => createWasmBackend({ threads: 2 }) },
];

describe.each(backends)('resume on $name', ({ name, make }) => {
  let backend: Backend;
  const { x, y } = data();

  beforeAll(async () => {
    backend = await make();
    if (name.includes('2 threads')) expect((backend as WasmBackend).threads).toBe(2);
  });
  afterAll(() => (backend as Partial<WasmBackend>).dispose?.());

  it.each(OPTIMIZERS.map((o) => [typeof o === 'string' ? o : o.name, o] as const))(
    '%s: 6 epochs = 3 epochs + checkpoint + 3 resumed epochs, byte for byte',
    async (_n, optimizer) => {
      const whole = model(backend, optimizer);
      const expected = whole.fit(x, y, { ...FIT, callbacks: [earlyStopping()] });

      const dir = join(scratch(), 'checkpoint');
      const controller = new AbortController();
      const first = await fitWithCheckpoints(model(backend, optimizer), x, y, {
        ...FIT,
        callbacks: [earlyStopping()],
        checkpoint: { dir, every: 3 },
        signal: controller.signal,
        onCheckpoint: (epoch) => void (epoch === 3 && controller.abort()),
      });
      expect(first.interrupted).toBe(true);
      expect(first.checkpointEpoch).toBe(3);
      const { model: resumed, result } = await resumeTraining(dir, x, y, { backend, callbacks: [earlyStopping()] });
      expect(result.interrupted).toBe(false);
      expect(withoutTime(result.history)).toEqual(withoutTime(expected.history));
      expect(result.stopReason).toBe(expected.stopReason);
      expect(bytes(resumed).equals(bytes(whole))).toBe(true);
      expect(resumed.optimizer.steps).toBe(whole.optimizer.steps);
    },
  );

  it('a stop inside epoch 5 resumes from the end of epoch 4 and still matches', async () => {
    const optimizer: OptimizerSpec = { name: 'adam', lr: 0.003 };
    const whole = model(backend, optimizer);
    whole.fit(x, y, FIT);
    const dir = join(scratch(), 'checkpoint');
    const controller = new AbortController();
    const first = await fitWithCheckpoints(model(backend, optimizer), x, y, {
      ...FIT,
      callbacks: [abortAt(controller, 5, 2)],
      checkpoint: { dir, every: 2 },
      signal: controller.signal,
    });
    expect(first.interrupted).toBe(true);
    expect(first.checkpointEpoch).toBe(4); // every 2 wrote epoch 4; the stop inside epoch 5 keeps it
    const { model: resumed, result } = await resumeTraining(dir, x, y, { backend });
    expect(result.history).toHaveLength(6);
    expect(bytes(resumed).equals(bytes(whole))).toBe(true);
  });
});

describe('Rng state', () => {
  it('setState continues the stream exactly, the cached normal included', () => {
    const a = new Rng(9);
    a.normal(); // leaves the second normal of a pair cached
    const state = a.getState();
    expect(state.spareNormal).not.toBeNull();
    const b = new Rng(1);
    b.setState(JSON.parse(JSON.stringify(state)) as typeof state);
    expect([b.normal(), b.uniform(), b.nextUint32()]).toEqual([a.normal(), a.uniform(), a.nextUint32()]);
  });

  it('rejects states that are not four unsigned 32-bit words', () => {
    expect(() => new Rng(1).setState({ words: [1, 2, 3], spareNormal: null })).toThrow(
      /words must be four unsigned 32-bit integers, got \[1,2,3\]/,
    );
    expect(() => new Rng(1).setState({ words: [0, 0, 0, 0], spareNormal: null })).toThrow(/all-zero state/);
  });
});

describe('checkpoint format', () => {
  const { x, y } = data();

  async function written(): Promise<string> {
    const dir = join(scratch(), 'checkpoint');
    const controller = new AbortController();
    await fitWithCheckpoints(model(referenceBackend, 'adam'), x, y, {
      ...FIT,
      epochs: 2,
      checkpoint: { dir, every: 1 },
      signal: controller.signal,
      onCheckpoint: () => controller.abort(),
    });
    return dir;
  }

  it('holds the model, optimiser state, rng state, history and fit settings', async () => {
    const dir = await written();
    const c = await loadCheckpoint(dir);
    expect(c.snapshot.epoch).toBe(1);
    expect(c.snapshot.history).toHaveLength(1);
    expect(c.snapshot.optimizer.name).toBe('adam');
    expect(c.snapshot.optimizer.steps).toBe(Math.ceil(160 / 32));
    expect(Object.keys(c.snapshot.optimizer.state['layers.0.weight']!).sort()).toEqual(['exp_avg', 'exp_avg_sq']);
    expect(c.snapshot.rng.words).toHaveLength(4);
    expect(c.fit).toMatchObject({ epochs: 2, batchSize: 32, validationSplit: 0.2, seed: 5, every: 1 });
    expect(c.model.loss).toBe('categorical_crossentropy');
  });

  it('rejects an unknown format version and a missing checkpoint with clear messages', async () => {
    const dir = await written();
    const file = join(dir, 'checkpoint.json');
    const json = JSON.parse(readFileSync(file, 'utf8')) as { formatVersion: number };
    json.formatVersion = 99;
    writeFileSync(file, JSON.stringify(json));
    await expect(loadCheckpoint(dir)).rejects.toThrow(
      /checkpoint format version 99 is not supported \(.*checkpoint format 1\)/,
    );
    await expect(loadCheckpoint(join(scratch(), 'nothing'))).rejects.toThrow(
      /holds no checkpoint \(no checkpoint\.json\)/,
    );
  });

  it('resuming without the callback whose state was saved is an error naming it', async () => {
    const dir = join(scratch(), 'checkpoint');
    const controller = new AbortController();
    await fitWithCheckpoints(model(referenceBackend, 'adam'), x, y, {
      ...FIT,
      callbacks: [earlyStopping()],
      checkpoint: { dir, every: 1 },
      signal: controller.signal,
      onCheckpoint: () => controller.abort(),
    });
    await expect(resumeTraining(dir, x, y)).rejects.toThrow(
      /state of callback 'early_stopping'; pass that callback again/,
    );
  });
});
