// Writes a slice of Fashion-MNIST as an image folder in the layout of Keras'
// image_dataset_from_directory: OUT/train/<class>/<n>.png and OUT/test/<class>/<n>.png (every
// --jpeg-every-th image as a JPEG instead), for trying and measuring `backprop train --data OUT`.
//
//   npx tsx scripts/make-image-folder.ts --out /tmp/fashion-folder --train 10000 --test 2000
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { loadImageDataset } from '../src/node.js';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    train: { type: 'string', default: '10000' },
    test: { type: 'string', default: '2000' },
    'jpeg-every': { type: 'string', default: '0' },
    'data-dir': { type: 'string' },
  },
});
if (!values.out)
  throw new Error('usage: make-image-folder.ts --out DIR [--train N] [--test N] [--jpeg-every K] [--data-dir IDX_DIR]');
const jpegEvery = Number(values['jpeg-every']);
const ds = await loadImageDataset('fashion-mnist', { dataDir: values['data-dir'] });
// Folder names without the slash of "T-shirt/top".
const folders = ds.classNames.map((c) => c.replace(/\//g, '-'));

function writeSplit(name: 'train' | 'test', count: number): void {
  const split = ds[name];
  const size = split.rows * split.cols;
  for (const f of folders) mkdirSync(join(values.out!, name, f), { recursive: true });
  for (let i = 0; i < Math.min(count, split.count); i++) {
    const gray = split.images.subarray(i * size, (i + 1) * size);
    const dir = join(values.out!, name, folders[split.labels[i]!]!);
    const stem = String(i).padStart(5, '0');
    if (jpegEvery > 0 && i % jpegEvery === 0) {
      const rgba = new Uint8Array(size * 4);
      for (let p = 0; p < size; p++) rgba.fill(gray[p]!, 4 * p, 4 * p + 3), (rgba[4 * p + 3] = 255);
      writeFileSync(
        join(dir, `${stem}.jpg`),
        jpeg.encode({ data: rgba, width: split.cols, height: split.rows }, 95).data,
      );
    } else {
      const png = new PNG({
        width: split.cols,
        height: split.rows,
        colorType: 0,
        inputColorType: 0,
        bitDepth: 8,
        inputHasAlpha: false,
      });
      png.data = Buffer.from(gray);
      writeFileSync(
        join(dir, `${stem}.png`),
        PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }),
      );
    }
  }
}

writeSplit('train', Number(values.train));
writeSplit('test', Number(values.test));
console.log(
  `wrote ${values.out}: ${values.train} training and ${values.test} test images in ${folders.length} class folders`,
);
