// Child process of wasm-memory.test.ts, run with --expose-gc: models built on one wasm backend and
// dropped without dispose() give their memory back once collected (the FinalizationRegistry).
// Prints the backend's bytes in use after one model, and after 200 dropped models and a collection.
import { createWasmBackend } from '../../src/backend/wasm/index.js';
import { Tensor } from '../../src/core/tensor.js';
import { Sequential } from '../../src/model/sequential.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const backend = await createWasmBackend({ threads: 1, sharedMemory: false, memoryMiB: 16 });
const x = new Tensor(
  new Float32Array(32 * 100).map((_, i) => (i % 7) / 7),
  [32, 100],
);
const y = new Tensor(
  new Float32Array(32 * 10).map((_, i) => (i % 10 === (i / 10) % 10 ? 1 : 0)),
  [32, 10],
);

function trainOnce(seed: number): void {
  const model = Sequential.mlp({
    inputs: 100,
    hidden: [200, 100],
    outputs: 10,
    task: 'classification',
    dropout: 0.2,
    seed,
    backend,
  });
  model.compile({ loss: 'cce', optimizer: { name: 'adam', lr: 1e-3 } });
  model.fit(x, y, { epochs: 1, batchSize: 32, seed });
}

async function collect(): Promise<void> {
  // Finalisation callbacks run in later tasks: collect, yield, repeat.
  for (let i = 0; i < 5; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

trainOnce(0);
await collect();
const baseline = backend.bytesInUse;
let peak = 0;
for (let seed = 1; seed <= 200; seed++) {
  trainOnce(seed);
  if (seed % 5 === 0) await collect();
  peak = Math.max(peak, backend.bytesInUse);
}
await collect();
console.log(JSON.stringify({ baseline, after: backend.bytesInUse, peak, memory: backend.memory.buffer.byteLength }));
backend.dispose();
