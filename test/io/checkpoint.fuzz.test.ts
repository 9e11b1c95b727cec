// Property-based fuzzing of checkpoints: a mutated checkpoint.json or state.safetensors gives a typed
// error (or a checkpoint that loads), never a crash, a hang or an allocation its size does not justify.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { BackpropError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor } from '../../src/core/tensor.js';
import { CHECKPOINT_FILE, loadCheckpoint } from '../../src/io/checkpoint.js';
import { fitWithCheckpoints } from '../../src/io/checkpoint-fit.js';
import { Sequential } from '../../src/model/sequential.js';
import { fuzzReader } from '../helpers/fuzz.js';

const dir = mkdtempSync(join(tmpdir(), 'backprop-ckpt-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const original = join(dir, 'run', 'checkpoint');
let count = 0;

beforeAll(async () => {
  const rng = new Rng(3);
  const x = Tensor.from(
    Array.from({ length: 40 }, () => rng.normal()),
    [20, 2],
  );
  const y = Tensor.from(
    Array.from({ length: 20 }, (_, i) => i % 2),
    [20, 1],
  );
  const model = Sequential.mlp({
    inputs: 2,
    hidden: [3],
    outputs: 1,
    task: 'multilabel',
    activation: 'tanh',
    dropout: 0.2,
    seed: 3,
  });
  model.compile({ loss: 'bce', optimizer: { name: 'adam', lr: 0.01 } });
  await fitWithCheckpoints(model, x, y, { epochs: 2, batchSize: 5, seed: 3, checkpoint: { dir: original, every: 1 } });
});

/** A copy of the checkpoint with `file` replaced by `bytes`, loaded. */
async function loadWith(file: string, bytes: Uint8Array): Promise<unknown> {
  const copy = join(dir, `c${count++}`);
  cpSync(original, copy, { recursive: true });
  writeFileSync(join(copy, file), bytes);
  try {
    return await loadCheckpoint(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

describe('checkpoint readers under fuzzing', () => {
  it('checkpoint.json', async () => {
    await fuzzReader({
      name: 'checkpoint.json',
      seeds: [new Uint8Array(readFileSync(join(original, CHECKPOINT_FILE)))],
      errors: [BackpropError],
      runs: 150,
      tokens: ['null', '-1', '1e309', '"adam"', '[]', '{}', '"formatVersion": 2', 'NaN'],
      read: (bytes) => loadWith(CHECKPOINT_FILE, bytes),
    });
  }, 120_000);

  it('state.safetensors', async () => {
    await fuzzReader({
      name: 'state.safetensors',
      seeds: [new Uint8Array(readFileSync(join(original, 'state.safetensors')))],
      errors: [BackpropError],
      runs: 150,
      read: (bytes) => loadWith('state.safetensors', bytes),
    });
  }, 120_000);
});
