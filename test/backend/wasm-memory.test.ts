// Memory ownership on one long-lived wasm backend: models that are built, trained and dropped give
// their memory back (dispose(), or the FinalizationRegistry when forgotten), so an unshared 16 MiB
// memory, which cannot grow, serves any number of them in turn.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { Tensor } from '../../src/core/tensor.js';
import { Sequential } from '../../src/model/sequential.js';
import { MatrixBuffer } from '../../src/nn/buffers.js';

const batch = (rows: number, cols: number, hot: boolean): Tensor =>
  new Tensor(
    new Float32Array(rows * cols).map((_, i) =>
      hot ? (i % cols === Math.floor(i / cols) % cols ? 1 : 0) : ((i * 37) % 11) / 11,
    ),
    [rows, cols],
  );

describe('wasm backend memory ownership', () => {
  it('200 models built, trained one step and disposed on an unshared 16 MiB memory: bytes in use stay flat', async () => {
    const backend = await createWasmBackend({ threads: 1, sharedMemory: false, memoryMiB: 16 });
    const x = batch(64, 300, false),
      y = batch(64, 10, true);
    // Each model holds ~1.3 MB (weights, gradients, Adam moments, buffers): 200 would need ~260 MB.
    const inUse: number[] = [];
    for (let seed = 0; seed < 200; seed++) {
      const model = Sequential.mlp({
        inputs: 300,
        hidden: [256, 128],
        outputs: 10,
        task: 'classification',
        dropout: 0.2,
        seed,
        backend,
      });
      model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
      model.fit(x, y, { epochs: 1, batchSize: 64, seed });
      model.dispose();
      inUse.push(backend.bytesInUse);
    }
    expect(inUse[0]).toBeLessThan(2 ** 20);
    expect(new Set(inUse).size).toBe(1);
    backend.dispose();
  }, 120_000);

  it('models dropped without dispose give their memory back when collected', () => {
    const child = join(import.meta.dirname, 'memory-child.ts');
    const output = execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', child], {
      encoding: 'utf8',
      timeout: 115_000,
    });
    const report = JSON.parse(output.trim().split('\n').pop()!) as {
      baseline: number;
      after: number;
      peak: number;
      memory: number;
    };
    // 200 models of ~0.8 MB each would need 160 MB; the memory is 16 MiB and cannot grow.
    expect(report.memory).toBe(16 * 2 ** 20);
    expect(report.after).toBeLessThanOrEqual(report.baseline);
    expect(report.peak).toBeLessThan(16 * 2 ** 20);
  }, 120_000);

  it('a growing MatrixBuffer gives its old storage back', async () => {
    const backend = await createWasmBackend({ threads: 1, sharedMemory: false, memoryMiB: 4 });
    const before = backend.bytesInUse;
    const buffer = new MatrixBuffer(100, 'float32', backend);
    for (let m = 1; m <= 200; m++) buffer.view(m);
    // Only the last storage (200 rows of 100 floats) is still allocated.
    expect(backend.bytesInUse - before).toBe(200 * 100 * 4);
    buffer.dispose();
    expect(backend.bytesInUse).toBe(before);
    backend.dispose();
  });

  it('free rejects an array the backend did not allocate or has already been given back', async () => {
    const backend = await createWasmBackend({ threads: 1, sharedMemory: false, memoryMiB: 1 });
    expect(() => backend.free(new Float32Array(4))).toThrow(/did not allocate/);
    const a = backend.allocFloat32(16);
    backend.free(a);
    expect(() => backend.free(a)).toThrow(/not the start of a live allocation/);
    backend.dispose();
  });
});
