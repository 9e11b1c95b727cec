// Accuracy of an image-folder run: 10 000 Fashion-MNIST training images and the 10 000 test images
// written as PNG folders (scripts/make-image-folder.ts), then `backprop train --data DIR` with the
// image defaults. Prints the loading time, the test accuracy and the command.
//
//   npx tsx bench/image-folder.ts [--dir /tmp/fashion-folder] [--train 10000] [--test 10000] [--seed 1]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { captureIo } from '../src/cli/io.js';
import { run } from '../src/cli/main.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/fashion-folder' },
    train: { type: 'string', default: '10000' },
    test: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: '/tmp/fashion-folder-model' },
  },
});
const dir = values.dir!;
if (!existsSync(dir)) {
  execFileSync(
    'npx',
    ['tsx', 'scripts/make-image-folder.ts', '--out', dir, '--train', values.train!, '--test', values.test!],
    { stdio: 'inherit' },
  );
}
const argv = ['train', '--data', dir, '--seed', values.seed!, '--out', values.out!, '--quiet', '--json'];
const io = captureIo();
const started = performance.now();
const code = await run(argv, io);
if (code !== 0) throw new Error(`backprop ${argv.join(' ')} failed:\n${io.err()}`);
const result = JSON.parse(io.out()) as {
  test: { accuracy: number };
  history: unknown[];
  peakRssMB: number;
  backend: string;
};
console.log(`backprop ${argv.join(' ')}`);
console.log(
  `test accuracy ${(100 * result.test.accuracy).toFixed(2)}% after ${result.history.length} epochs, ${((performance.now() - started) / 1000).toFixed(0)} s in all (loading included), backend ${result.backend}, peak ${result.peakRssMB} MB`,
);
