import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError, FormatError } from '../../src/core/errors.js';
import { decodeImage, readImageHeader } from '../../src/data/image-decode.js';
import { loadImageFolder, parseImageSize, scanImageFolder } from '../../src/data/image-folder.js';
import { decodeImages } from '../../src/data/image-pool.js';
import { grayImage, writeJpeg, writePng } from './image-fixtures.js';

const roots: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), 'backprop-images-'));
  roots.push(dir);
  return dir;
}
afterAll(() => roots.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** DIR/<class>/<n>.png: three 4×4 gray images per class, class k at brightness 60·k. */
function grayFolder(classes = ['cat', 'dog', 'bird']): string {
  const dir = scratch();
  classes.forEach((c, k) => {
    for (let i = 0; i < 3; i++) writePng(join(dir, c, `${i}.png`), 4, 4, grayImage(4, 4, 60 * k));
  });
  return dir;
}

describe('image files', () => {
  it('decodes gray and RGB PNGs and RGB JPEGs with their headers', () => {
    const dir = scratch();
    const rgb = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => (i * 13) % 256);
    writePng(join(dir, 'g.png'), 3, 2, [0, 50, 100, 150, 200, 250]);
    writePng(join(dir, 'c.png'), 3, 2, rgb, 3);
    writeJpeg(join(dir, 'c.jpg'), 3, 2, new Uint8Array(18).fill(128));
    const g = decodeImage(readFileSync(join(dir, 'g.png')), 'g.png');
    expect(g).toMatchObject({ width: 3, height: 2, channels: 1 });
    expect([...g.pixels]).toEqual([0, 50, 100, 150, 200, 250]);
    const c = decodeImage(readFileSync(join(dir, 'c.png')), 'c.png');
    expect(c.channels).toBe(3);
    expect([...c.pixels]).toEqual([...rgb]);
    expect(readImageHeader(readFileSync(join(dir, 'g.png')), 'g.png')).toEqual({
      width: 3,
      height: 2,
      grayscale: true,
    });
    expect(readImageHeader(readFileSync(join(dir, 'c.jpg')), 'c.jpg')).toEqual({
      width: 3,
      height: 2,
      grayscale: false,
    });
    const j = decodeImage(readFileSync(join(dir, 'c.jpg')), 'c.jpg');
    expect(j.channels).toBe(3);
    for (const v of j.pixels) expect(Math.abs(v - 128)).toBeLessThanOrEqual(2); // lossy, but close
  });

  it('names the file of a truncated or corrupt image', () => {
    const dir = scratch();
    writePng(join(dir, 'a.png'), 8, 8, grayImage(8, 8, 10));
    writeJpeg(join(dir, 'b.jpg'), 8, 8, new Uint8Array(192).fill(90));
    const png = readFileSync(join(dir, 'a.png')),
      jpg = readFileSync(join(dir, 'b.jpg'));
    expect(() => decodeImage(png.subarray(0, png.length - 20), 'a.png')).toThrow(FormatError);
    expect(() => decodeImage(png.subarray(0, png.length - 20), 'a.png')).toThrow(/^a\.png: unreadable PNG/);
    expect(() => decodeImage(jpg.subarray(0, jpg.length / 2), 'b.jpg')).toThrow(/^b\.jpg: unreadable JPEG/);
    expect(() => decodeImage(png.subarray(0, 20), 'a.png')).toThrow(/a\.png: truncated PNG header/);
    expect(() => decodeImage(new TextEncoder().encode('hello, world'), 'x.png')).toThrow(
      /x\.png: not a PNG or JPEG file/,
    );
  });

  it('never fails on random bytes with anything but a FormatError', () => {
    const dir = scratch();
    writePng(join(dir, 'a.png'), 5, 5, grayImage(5, 5, 10));
    writeJpeg(join(dir, 'b.jpg'), 5, 5, new Uint8Array(75).fill(90));
    const files = [readFileSync(join(dir, 'a.png')), readFileSync(join(dir, 'b.jpg'))];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (f, at, byte, cut) => {
          const bytes = Uint8Array.from(files[f]!);
          const i = at % bytes.length;
          const damaged = cut ? bytes.subarray(0, i) : ((bytes[i] = byte), bytes);
          try {
            const image = decodeImage(damaged, 'damaged');
            expect(image.pixels.length).toBe(image.width * image.height * image.channels);
          } catch (e) {
            expect(e).toBeInstanceOf(FormatError);
            expect((e as Error).message).toMatch(/^damaged: /);
          }
        },
      ),
      { seed: 7, numRuns: 150 },
    );
  });
});

describe('scanImageFolder', () => {
  it('takes the class folders in sorted order as the labels', () => {
    const dir = grayFolder(['dog', 'cat', 'bird']);
    writeFileSync(join(dir, 'cat', 'notes.txt'), 'not an image');
    const layout = scanImageFolder(dir);
    expect(layout.classNames).toEqual(['bird', 'cat', 'dog']);
    expect(layout.train.paths).toHaveLength(9);
    expect([...layout.train.labels]).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(layout.test).toBeNull();
  });

  it('uses DIR/test as the test set when there are DIR/train and DIR/test', () => {
    const dir = scratch();
    for (const split of ['train', 'test'])
      for (const c of ['a', 'b']) writePng(join(dir, split, c, '0.png'), 2, 2, [1, 2, 3, 4]);
    writePng(join(dir, 'train', 'b', '1.png'), 2, 2, [1, 2, 3, 4]);
    const layout = scanImageFolder(dir);
    expect(layout.classNames).toEqual(['a', 'b']);
    expect(layout.train.paths.map((p) => p.slice(dir.length))).toEqual([
      '/train/a/0.png',
      '/train/b/0.png',
      '/train/b/1.png',
    ]);
    expect(layout.test!.paths.map((p) => p.slice(dir.length))).toEqual(['/test/a/0.png', '/test/b/0.png']);
  });

  it('rejects an empty class folder, a folder without classes and an unknown test class', () => {
    const empty = grayFolder();
    mkdirSync(join(empty, 'fish'));
    expect(() => scanImageFolder(empty)).toThrow(DataError);
    expect(() => scanImageFolder(empty)).toThrow(/class folder 'fish' has no \.png, \.jpg or \.jpeg images/);
    const flat = scratch();
    writePng(join(flat, 'a.png'), 2, 2, [1, 2, 3, 4]);
    expect(() => scanImageFolder(flat)).toThrow(/has no class subfolders \(expected .*<class>\/\*\.png\|jpg\|jpeg/);
    const split = scratch();
    writePng(join(split, 'train', 'a', '0.png'), 2, 2, [1, 2, 3, 4]);
    writePng(join(split, 'test', 'z', '0.png'), 2, 2, [1, 2, 3, 4]);
    expect(() => scanImageFolder(split)).toThrow(/test class folder 'z' not in train\/ \(classes: a\)/);
    expect(() => scanImageFolder(join(split, 'nothing'))).toThrow(/is not a directory/);
  });
});

describe('loadImageFolder', () => {
  it('keeps gray images as one byte per pixel in label order', async () => {
    const dir = grayFolder();
    const data = await loadImageFolder(dir);
    expect(data.shape).toEqual({ height: 4, width: 4, channels: 1 });
    expect(data.train.length).toBe(9 * 16);
    // Written cat 0, dog 60, bird 120; read in sorted order bird, cat, dog. The pattern adds i mod 3.
    expect([...data.train.subarray(0, 4)]).toEqual([120, 121, 122, 120]);
    expect(data.train[3 * 16]).toBe(0);
    expect(data.train[6 * 16]).toBe(60);
  });

  it('turns the folder RGB when one image is in colour (a JPEG), gray on request by ITU-R 601 luma', async () => {
    const dir = grayFolder(['a', 'b']);
    writeJpeg(
      join(dir, 'b', 'rgb.jpg'),
      4,
      4,
      Uint8Array.from({ length: 48 }, (_, i) => [200, 100, 50][i % 3]!),
    );
    const rgb = await loadImageFolder(dir);
    expect(rgb.shape.channels).toBe(3);
    expect(rgb.train.length).toBe(7 * 16 * 3);
    expect([...rgb.train.subarray(0, 3)]).toEqual([0, 0, 0]); // gray repeated in R, G and B
    const gray = await loadImageFolder(dir, { color: 'grayscale' });
    expect(gray.shape.channels).toBe(1);
    // The JPEG is the last image of class b: 0.299·200 + 0.587·100 + 0.114·50 = 124.2, give or take JPEG's loss.
    expect(Math.abs(gray.train[6 * 16]! - 124)).toBeLessThanOrEqual(3);
  });

  it('needs --image-size for mixed sizes and resamples to it', async () => {
    const dir = grayFolder(['a', 'b']);
    writePng(join(dir, 'a', 'big.png'), 8, 8, new Uint8Array(64).fill(200));
    await expect(loadImageFolder(dir)).rejects.toThrow(DataError);
    await expect(loadImageFolder(dir)).rejects.toThrow(
      /images differ in size \(.*0\.png is 4×4, .*big\.png is 8×8\); choose one with --image-size HxW/,
    );
    const data = await loadImageFolder(dir, { size: [2, 2] });
    expect(data.shape).toEqual({ height: 2, width: 2, channels: 1 });
    expect(data.train.length).toBe(7 * 4);
    expect([...data.train.subarray(3 * 4, 4 * 4)]).toEqual([200, 200, 200, 200]); // big.png, averaged 4:1
  });

  it('finds the frame header of a JPEG behind more than 4 KB of metadata', async () => {
    const dir = grayFolder(['a', 'b']);
    writeJpeg(join(dir, 'b', 'notes.jpg'), 4, 4, new Uint8Array(48).fill(100), ['x'.repeat(6000)]);
    const data = await loadImageFolder(dir);
    expect(data.shape).toEqual({ height: 4, width: 4, channels: 3 });
  });

  it('names the path of a truncated image', async () => {
    const dir = grayFolder(['a', 'b']);
    const path = join(dir, 'b', '1.png');
    writeFileSync(path, readFileSync(path).subarray(0, 40));
    await expect(loadImageFolder(dir)).rejects.toThrow(FormatError);
    await expect(loadImageFolder(dir)).rejects.toThrow(new RegExp(`${path.replace(/[/.]/g, '\\$&')}: unreadable PNG`));
  });
});

describe('decodeImages on worker threads', () => {
  const dir = scratch();
  const paths = Array.from({ length: 140 }, (_, i) => {
    const path = join(dir, `${String(i).padStart(3, '0')}.png`);
    writePng(path, 5, 5, grayImage(5, 5, i));
    return path;
  });

  it('gives the same bytes as decoding on this thread', async () => {
    const shape = { height: 3, width: 3, channels: 3 as const };
    const here = await decodeImages(paths, shape, { workers: 0 });
    const threads = await decodeImages(paths, shape, { workers: 2 });
    expect(threads.length).toBe(140 * 27);
    expect(Buffer.from(threads).equals(Buffer.from(here))).toBe(true);
  });

  it('reports a corrupt file from a worker with its class and path', async () => {
    const bad = join(dir, 'bad.png');
    writeFileSync(bad, readFileSync(paths[0]!).subarray(0, 45));
    const list = [...paths.slice(0, 100), bad, ...paths.slice(100)];
    const shape = { height: 5, width: 5, channels: 1 as const };
    await expect(decodeImages(list, shape, { workers: 2 })).rejects.toThrow(FormatError);
    await expect(decodeImages(list, shape, { workers: 2 })).rejects.toThrow(/bad\.png: unreadable PNG/);
  });
});

describe('parseImageSize', () => {
  it('reads HxW and rejects anything else', () => {
    expect(parseImageSize('28x32')).toEqual([28, 32]);
    expect(parseImageSize(' 64×64 ')).toEqual([64, 64]);
    for (const bad of ['28', '0x4', 'ax4', '5000x5000'])
      expect(() => parseImageSize(bad)).toThrow(/--image-size: expected HxW/);
  });
});
