// Batch sources: rows are gathered in the order of the indices, pixels scaled to [0, 1] exactly as
// b / 255 rounded to float32, labels one-hot; the four-pixels-at-a-time path and the byte path agree.
import { describe, expect, it, vi } from 'vitest';
import { ByteImageSource, createWasmBackend, Tensor, TensorSource } from '../../src/index.js';

/** Three images of `features` pixels with distinct bytes, and their labels. */
function images(features: number, offset: number): { bytes: Uint8Array; labels: Uint8Array } {
  const buffer = new Uint8Array(offset + 3 * features);
  for (let i = 0; i < 3 * features; i++) buffer[offset + i] = (i * 37 + 11) % 256;
  return { bytes: buffer.subarray(offset), labels: Uint8Array.of(2, 0, 1) };
}

describe('ByteImageSource', () => {
  // 8 pixels from a 4-byte boundary take the word path; 6 pixels, or rows starting at an odd
  // address, take the byte path.
  it.each([
    [8, 0],
    [8, 1],
    [6, 0],
  ])('fills %i-pixel rows (byte offset %i) in index order, scaled by 1/255, labels one-hot', (features, offset) => {
    const { bytes, labels } = images(features, offset);
    const source = new ByteImageSource(bytes, labels, features, 3);
    const x = new Float32Array(2 * features).fill(-1),
      y = new Float32Array(2 * 3).fill(-1);
    source.fill([0, 2, 1], 1, 2, x, y);
    const expected = [...bytes.subarray(2 * features, 3 * features), ...bytes.subarray(features, 2 * features)].map(
      (b) => Math.fround(b / 255),
    );
    expect(Array.from(x)).toEqual(expected);
    expect(Array.from(y)).toEqual([0, 1, 0, 1, 0, 0]);
  });

  it('fills float64 batches with the same values', () => {
    const { bytes, labels } = images(8, 0);
    const source = new ByteImageSource(bytes, labels, 8, 3);
    const x = new Float64Array(8),
      y = new Float64Array(3);
    source.fill([2], 0, 1, x, y);
    expect(Array.from(x)).toEqual(Array.from(bytes.subarray(16, 24), (b) => Math.fround(b / 255)));
    expect(Array.from(y)).toEqual([0, 1, 0]);
  });

  it('fills the same batch through the wasm backend when the bytes live in its memory', async () => {
    const wasm = await createWasmBackend({ threads: 1 });
    try {
      const { bytes, labels } = images(20, 0);
      const inside = wasm.allocBytes(bytes.length);
      inside.set(bytes);
      const x = wasm.allocFloat32(3 * 20),
        y = wasm.allocFloat32(3 * 3);
      const expectedX = new Float32Array(3 * 20),
        expectedY = new Float32Array(3 * 3);
      new ByteImageSource(bytes, labels, 20, 3).fill([2, 0, 1], 0, 3, expectedX, expectedY);
      const gathered = vi.spyOn(wasm, 'gatherUnitBytes');
      new ByteImageSource(inside, labels, 20, 3).fill([2, 0, 1], 0, 3, x, y, wasm);
      expect(gathered).toHaveReturnedWith(true);
      expect(Array.from(x)).toEqual(Array.from(expectedX));
      expect(Array.from(y)).toEqual(Array.from(expectedY));
    } finally {
      wasm.dispose();
    }
  });

  it('with rows, is the subset rows[i] of the images without copying them (fill, classes, toTensor)', async () => {
    const { bytes, labels } = images(8, 0);
    const whole = new ByteImageSource(bytes, labels, 8, 3);
    const subset = new ByteImageSource(bytes, labels, 8, 3, Uint32Array.of(2, 0));
    expect(subset.size).toBe(2);
    expect(subset.imageOf(0)).toBe(2);
    expect(Array.from(subset.classes())).toEqual([1, 2]);
    const x = new Float32Array(16),
      y = new Float32Array(6),
      wx = new Float32Array(16),
      wy = new Float32Array(6);
    subset.fill([1, 0], 0, 2, x, y);
    whole.fill([0, 2], 0, 2, wx, wy);
    expect(Array.from(x)).toEqual(Array.from(wx));
    expect(Array.from(y)).toEqual(Array.from(wy));
    expect(subset.toTensor().shape).toEqual([2, 8]);
    expect(Array.from(subset.toTensor(1, 1).data)).toEqual(Array.from(wx.subarray(0, 8)));
    expect(() => subset.toTensor(1, 2)).toThrow(/examples \[1, 3\) are outside the 2 examples/);
    expect(Array.from(subset.toTensor().data.subarray(0, 8))).toEqual(Array.from(wx.subarray(8, 16)));
    // Through the wasm backend's gather, the mapped rows give the same batch.
    const wasm = await createWasmBackend({ threads: 1 });
    try {
      const inside = wasm.allocBytes(bytes.length);
      inside.set(bytes);
      const bx = wasm.allocFloat32(16),
        by = wasm.allocFloat32(6);
      new ByteImageSource(inside, labels, 8, 3, Uint32Array.of(2, 0)).fill([1, 0], 0, 2, bx, by, wasm);
      expect(Array.from(bx)).toEqual(Array.from(wx));
    } finally {
      wasm.dispose();
    }
  });

  it('rejects rows naming images it does not have', () => {
    const { bytes, labels } = images(8, 0);
    expect(() => new ByteImageSource(bytes, labels, 8, 3, Uint32Array.of(0, 3))).toThrow(
      /rows name image 3, but there are 3 images/,
    );
  });

  it('rejects bytes that are not a whole number of images', () => {
    expect(() => new ByteImageSource(new Uint8Array(10), new Uint8Array(3), 4, 2)).toThrow(
      /10 bytes do not hold 3 images of 4 pixels/,
    );
  });
});

describe('TensorSource', () => {
  it('copies the indexed rows of x and y', () => {
    const source = new TensorSource(Tensor.from([1, 2, 3, 4, 5, 6], [3, 2]), Tensor.from([10, 20, 30], [3, 1]));
    const x = new Float32Array(4),
      y = new Float32Array(2);
    source.fill([2, 0, 1], 0, 2, x, y);
    expect(Array.from(x)).toEqual([5, 6, 1, 2]);
    expect(Array.from(y)).toEqual([30, 10]);
  });
});
