// Named image data sets: resolution order, the Debian Fashion-MNIST files, integrity checks, and
// the byte-to-float batch conversion.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError, FormatError, ShapeError } from '../../src/core/errors.js';
import {
  DEBIAN_FASHION_MNIST_DIR,
  type ImageDataset,
  imageDatasetSpec,
  imagesToFloat32,
  loadImageDataset,
  readVerifiedFile,
  resolveDataset,
  stampFilePath,
} from '../../src/data/image-datasets.js';
import { ByteImageSource } from '../../src/data/source.js';

const root = mkdtempSync(join(tmpdir(), 'backprop-datasets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const NAMES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
];

/** A directory with (empty) files of the given names: resolution only looks at names. */
function fakeDir(path: string, names: string[]): string {
  mkdirSync(path, { recursive: true });
  for (const name of names) writeFileSync(join(path, name), '');
  return path;
}

describe('resolveDataset', () => {
  const dataDir = fakeDir(
    join(root, 'r', 'data'),
    NAMES.map((n) => n + '.gz'),
  );
  const envRoot = fakeDir(join(root, 'r', 'env'), NAMES);
  const envNamed = fakeDir(join(envRoot, 'fashion-mnist'), NAMES);
  const cacheDir = join(root, 'r', 'cache');
  const cached = fakeDir(
    join(cacheDir, 'fashion-mnist'),
    NAMES.map((n) => n + '.gz'),
  );
  const systemDir = fakeDir(join(root, 'r', 'system'), NAMES);
  const env = { BACKPROP_DATA: envRoot };

  it('searches dataDir, $BACKPROP_DATA/<name>, $BACKPROP_DATA, the cache, then the system directory', () => {
    expect(resolveDataset('fashion-mnist', { dataDir, env, cacheDir, systemDir }).dir).toBe(dataDir);
    expect(resolveDataset('fashion-mnist', { env, cacheDir, systemDir }).dir).toBe(envNamed);
    expect(
      resolveDataset('fashion-mnist', {
        dataDir: join(root, 'nowhere'),
        env: { BACKPROP_DATA: envNamed },
        cacheDir,
        systemDir,
      }).dir,
    ).toBe(envNamed);
    expect(resolveDataset('fashion-mnist', { env: {}, cacheDir, systemDir }).dir).toBe(cached);
    expect(resolveDataset('fashion-mnist', { env: {}, cacheDir: join(root, 'empty-cache'), systemDir }).dir).toBe(
      systemDir,
    );
  });

  it('takes plain or .gz files, preferring the plain one', () => {
    const both = fakeDir(join(root, 'r', 'both'), [...NAMES, ...NAMES.map((n) => n + '.gz')]);
    const { paths } = resolveDataset('fashion-mnist', { dataDir: both, env: {} });
    expect(paths.trainImages).toBe(join(both, 'train-images-idx3-ubyte'));
    expect(paths.testLabels).toBe(join(both, 't10k-labels-idx1-ubyte'));
    expect(resolveDataset('fashion-mnist', { dataDir, env: {} }).paths.trainLabels).toBe(
      join(dataDir, 'train-labels-idx1-ubyte.gz'),
    );
  });

  it('skips a directory with only some of the files and reports what is missing', () => {
    const partial = fakeDir(join(root, 'r', 'partial'), NAMES.slice(0, 2));
    expect(resolveDataset('fashion-mnist', { dataDir: partial, env: {}, cacheDir, systemDir }).dir).toBe(cached);
    expect(() => resolveDataset('mnist', { dataDir: partial, env: {}, cacheDir })).toThrow(
      /partial \(data directory option\): missing t10k-images-idx3-ubyte\[\.gz\], t10k-labels-idx1-ubyte\[\.gz\]/,
    );
  });

  it('lists every place it looked and how to get the data', () => {
    const nowhere = join(root, 'nowhere');
    const run = (): unknown =>
      resolveDataset('fashion-mnist', {
        dataDir: nowhere,
        env: { BACKPROP_DATA: nowhere },
        cacheDir: nowhere,
        systemDir: join(nowhere, 'sys'),
      });
    expect(run).toThrow(DataError);
    let message = '';
    try {
      run();
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message.split('\n').filter((line) => line.includes('no such directory'))).toHaveLength(5);
    expect(message).toContain(`${join(nowhere, 'fashion-mnist')} ($BACKPROP_DATA/fashion-mnist)`);
    expect(message).toContain(`${join(nowhere, 'sys')} (Debian package)`);
    expect(message).toMatch(/backprop data fetch fashion-mnist`, or `apt-get install dataset-fashion-mnist/);
  });

  it('looks in the Debian directory for Fashion-MNIST only', () => {
    expect(() => resolveDataset('mnist', { env: {}, cacheDir: join(root, 'nowhere'), systemDir })).toThrow(
      /run `backprop data fetch mnist`\.$/,
    );
  });

  it('rejects an unknown data set name', () => {
    expect(() => resolveDataset('cifar', {})).toThrow(ConfigError);
    expect(() => resolveDataset('cifar', {})).toThrow(/"cifar" is unknown; known: fashion-mnist, mnist/);
  });
});

const haveDebian = existsSync(DEBIAN_FASHION_MNIST_DIR);

describe.skipIf(!haveDebian)("Fashion-MNIST from Debian's dataset-fashion-mnist", () => {
  const cacheDir = join(root, 'debian-cache');
  let ds: ImageDataset;
  beforeAll(async () => {
    ds = await loadImageDataset('fashion-mnist', { env: {}, cacheDir });
  }, 30_000);

  it('loads 60000 + 10000 byte images with their labels', () => {
    expect(ds.name).toBe('fashion-mnist');
    expect(ds.train.count).toBe(60_000);
    expect(ds.test.count).toBe(10_000);
    expect(ds.train.images.length).toBe(60_000 * 784);
    expect(ds.test.labels.length).toBe(10_000);
    expect([ds.train.rows, ds.train.cols]).toEqual([28, 28]);
    expect(Array.from(ds.train.labels.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(ds.test.labels.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(ds.classNames[ds.train.labels[0]!]).toBe('Ankle boot');
    const first = ds.train.images.subarray(0, 784);
    expect(first.reduce((a, b) => a + b, 0)).toBe(76_247);
    expect(first[417]).toBe(255);
  });

  it('records the verified hashes so that later loads skip them', () => {
    const stamps = JSON.parse(readFileSync(stampFilePath(cacheDir), 'utf8')) as Record<
      string,
      { sha256: string; size: number }
    >;
    const entry = stamps[join(DEBIAN_FASHION_MNIST_DIR, 'train-images-idx3-ubyte.gz')];
    expect(entry?.sha256).toBe('c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888');
    expect(entry?.size).toBe(26_421_856);
    expect(Object.keys(stamps)).toHaveLength(4);
  });

  it('uses a recorded hash instead of hashing, and still compares it with the published one', async () => {
    const stampFile = stampFilePath(cacheDir);
    const path = join(DEBIAN_FASHION_MNIST_DIR, 'train-labels-idx1-ubyte.gz');
    const spec = imageDatasetSpec('fashion-mnist');
    expect((await readVerifiedFile(spec, 'trainLabels', path, { stampFile })).newSha256).toBeUndefined();
    const stamps = JSON.parse(readFileSync(stampFile, 'utf8')) as Record<string, { sha256: string }>;
    stamps[path]!.sha256 = '0'.repeat(64);
    const tampered = join(root, 'tampered.json');
    writeFileSync(tampered, JSON.stringify(stamps));
    await expect(readVerifiedFile(spec, 'trainLabels', path, { stampFile: tampered })).rejects.toThrow(
      /is 0{64}, expected bad3541b/,
    );
  });

  it('rejects a file whose SHA-256 differs, naming both hashes', async () => {
    const bytes = gunzipSync(readFileSync(join(DEBIAN_FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz')));
    bytes[8] = 3; // one label changed: same size, different hash
    const path = join(root, 't10k-labels-idx1-ubyte');
    writeFileSync(path, bytes);
    const spec = imageDatasetSpec('fashion-mnist');
    const read = readVerifiedFile(spec, 'testLabels', path, { stampFile: join(root, 'none.json') });
    await expect(read).rejects.toThrow(FormatError);
    await expect(read).rejects.toThrow(
      new RegExp(
        `SHA-256 of the decompressed ${path} is [0-9a-f]{64}, expected 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34`,
      ),
    );
  });

  it('refuses Fashion-MNIST files loaded as MNIST', async () => {
    const path = join(DEBIAN_FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz');
    await expect(
      readVerifiedFile(imageDatasetSpec('mnist'), 'testLabels', path, { stampFile: join(root, 'none.json') }),
    ).rejects.toThrow(/is the Fashion-MNIST t10k-labels-idx1-ubyte .*not mnist/);
  });

  it('checks sizes and label values of MNIST files', async () => {
    const dir = join(root, 'mnist-like');
    mkdirSync(dir);
    for (const name of ['train-images-idx3-ubyte.gz', 't10k-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz']) {
      symlinkSync(join(DEBIAN_FASHION_MNIST_DIR, name), join(dir, name));
    }
    const labels = Buffer.alloc(8 + 100);
    labels.writeUInt32BE(0x801, 0);
    labels.writeUInt32BE(100, 4);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), labels);
    await expect(loadImageDataset('mnist', { dataDir: dir, verify: false, cacheDir })).rejects.toThrow(
      /t10k-labels-idx1-ubyte decompresses to 108 bytes \(dims 100\), expected 10008/,
    );
    const tenThousand = Buffer.alloc(8 + 10_000);
    tenThousand.writeUInt32BE(0x801, 0);
    tenThousand.writeUInt32BE(10_000, 4);
    tenThousand[8 + 42] = 12;
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), tenThousand);
    await expect(loadImageDataset('mnist', { dataDir: dir, verify: false, cacheDir })).rejects.toThrow(
      /t10k-labels-idx1-ubyte has label 12 at index 42; classes are 0\.\.9/,
    );
  }, 20_000);
});

describe('imagesToFloat32', () => {
  const images = new Uint8Array([0, 51, 255, 255, 102, 1]);

  it('scales a batch of byte images to [0, 1]', () => {
    expect(Array.from(imagesToFloat32(images, 0, 3, 2))).toEqual([0, 0.2, 1, 1, 0.4, 1 / 255].map(Math.fround));
    expect(Array.from(imagesToFloat32(images, 1, 2, 2))).toEqual([1, 1, 0.4, 1 / 255].map(Math.fround));
  });

  it("gives ByteImageSource's values for every byte, four-byte aligned (word loads) or not, and a length not a multiple of 4", () => {
    const all = Uint8Array.from({ length: 2 * 256 + 3 }, (_, i) => (i * 7) % 256);
    for (const [offset, pixels] of [
      [0, 256],
      [4, 128],
      [1, 256],
      [3, 3],
    ] as const) {
      const bytes = all.subarray(offset);
      const count = Math.floor(bytes.length / pixels) - 1;
      const x = imagesToFloat32(bytes, 1, count, pixels);
      const source = new ByteImageSource(bytes.subarray(0, (count + 1) * pixels), new Uint8Array(count + 1), pixels, 1);
      expect(Array.from(x)).toEqual(Array.from(source.toTensor(1).data));
      expect(Array.from(x)).toEqual(
        Array.from(bytes.subarray(pixels, (count + 1) * pixels), (b) => Math.fround(b / 255)),
      );
    }
  });

  it('reuses out, returning a view of the filled part when out is longer', () => {
    const out = new Float32Array(4).fill(-1);
    expect(imagesToFloat32(images, 0, 2, 2, out)).toBe(out);
    expect(out[1]).toBe(Math.fround(0.2));
    const last = imagesToFloat32(images, 2, 1, 2, out);
    expect(last.buffer).toBe(out.buffer);
    expect(Array.from(last)).toEqual([Math.fround(0.4), Math.fround(1 / 255)]);
  });

  it('rejects a batch past the end or an out too short', () => {
    expect(() => imagesToFloat32(images, 2, 2, 2)).toThrow(ShapeError);
    expect(() => imagesToFloat32(images, 2, 2, 2)).toThrow(/images 2\.\.3 of 2 pixels need 8 bytes, the array has 6/);
    expect(() => imagesToFloat32(images, 0, 2, 2, new Float32Array(3))).toThrow(
      /out has 3 values, the batch needs 2 x 2 = 4/,
    );
  });
});
