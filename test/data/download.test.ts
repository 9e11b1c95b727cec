// The downloader against a local HTTP server on 127.0.0.1 serving Debian's Fashion-MNIST files:
// the good path, then a corrupt file, a dropped connection, an HTTP error and a stalled server.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, FormatError } from '../../src/core/errors.js';
import { type DownloadProgress, downloadDataset } from '../../src/data/download.js';
import { DEBIAN_FASHION_MNIST_DIR, loadImageDataset, stampFilePath } from '../../src/data/image-datasets.js';

const SOURCE = DEBIAN_FASHION_MNIST_DIR;
const GZ = [
  'train-images-idx3-ubyte.gz',
  'train-labels-idx1-ubyte.gz',
  't10k-images-idx3-ubyte.gz',
  't10k-labels-idx1-ubyte.gz',
];
const SMALL = 't10k-labels-idx1-ubyte.gz'; // the failure cases only need this one (5 kB)

describe.skipIf(!existsSync(SOURCE))('downloadDataset', () => {
  const root = mkdtempSync(join(tmpdir(), 'backprop-download-'));
  const cacheDir = join(root, 'cache');
  const dir = join(cacheDir, 'fashion-mnist');
  const requests: string[] = [];
  let server: Server;
  let base = '';

  beforeAll(async () => {
    const labels = gunzipSync(readFileSync(join(SOURCE, SMALL)));
    labels[100] = (labels[100]! + 1) % 10; // a valid gzip of a valid IDX file, with one label changed
    const corrupt = gzipSync(labels);
    server = createServer((req, res) => {
      const [, mode, file] = (req.url ?? '').split('/');
      requests.push(`${mode}/${file}`);
      if (file === undefined || !GZ.includes(file) || mode === 'missing') {
        res.writeHead(404, 'Not Found').end();
        return;
      }
      const body =
        mode === 'corrupt'
          ? corrupt
          : mode === 'html'
            ? Buffer.from('<html>moved</html>')
            : readFileSync(join(SOURCE, file));
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length });
      if (mode === 'drop') {
        res.write(body.subarray(0, 2000), () => setTimeout(() => res.socket?.destroy(), 20));
      } else if (mode === 'stall') {
        res.write(body.subarray(0, 100)); // then nothing, connection left open
      } else {
        res.end(body);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  /** What is in the cache directory, leftovers (temporary files) included. */
  const listing = (): string[] => readdirSync(dir).sort();

  it('downloads, verifies and records the four files', async () => {
    const progress: DownloadProgress[] = [];
    const result = await downloadDataset('fashion-mnist', {
      baseUrl: `${base}/good`,
      cacheDir,
      onProgress: (p) => progress.push(p),
    });
    expect(result.dir).toBe(dir);
    expect(result.files.map((f) => f.status)).toEqual(['downloaded', 'downloaded', 'downloaded', 'downloaded']);
    expect(listing()).toEqual([...GZ].sort());
    for (const file of GZ) expect(statSync(join(dir, file)).size).toBe(statSync(join(SOURCE, file)).size);

    const last = progress.filter((p) => p.file === 'train-images-idx3-ubyte.gz').at(-1)!;
    expect(last).toMatchObject({
      url: `${base}/good/train-images-idx3-ubyte.gz`,
      fileIndex: 0,
      fileCount: 4,
      received: 26_421_856,
      total: 26_421_856,
    });
    expect(progress.filter((p) => p.file === 'train-images-idx3-ubyte.gz').length).toBeGreaterThan(10);

    const stamps = JSON.parse(readFileSync(stampFilePath(cacheDir), 'utf8')) as Record<string, { sha256: string }>;
    expect(stamps[join(dir, 't10k-images-idx3-ubyte.gz')]?.sha256).toBe(
      '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
    );
  }, 30_000);

  it('loads from the cache, and skips files already present and verified', async () => {
    const ds = await loadImageDataset('fashion-mnist', { env: {}, cacheDir, systemDir: null });
    expect([ds.train.count, ds.test.count]).toEqual([60_000, 10_000]);
    expect(ds.test.labels[0]).toBe(9);
    const before = requests.length;
    const again = await downloadDataset('fashion-mnist', { baseUrl: `${base}/good`, cacheDir });
    expect(again.files.map((f) => f.status)).toEqual(['present', 'present', 'present', 'present']);
    expect(requests.length).toBe(before);
  }, 30_000);

  it('rejects a file whose checksum is wrong and leaves nothing behind', async () => {
    unlinkSync(join(dir, SMALL));
    const run = downloadDataset('fashion-mnist', { baseUrl: `${base}/corrupt/`, cacheDir });
    await expect(run).rejects.toThrow(FormatError);
    await expect(run).rejects.toThrow(
      new RegExp(
        `download fashion-mnist: SHA-256 of the decompressed ${base}/corrupt/${SMALL} is [0-9a-f]{64}, expected 0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34`,
      ),
    );
    expect(requests.at(-1)).toBe(`corrupt/${SMALL}`); // the three verified files were not fetched again
    expect(listing()).toEqual(GZ.filter((f) => f !== SMALL).sort());
  });

  it('rejects a body that is not gzip', async () => {
    const run = downloadDataset('fashion-mnist', { baseUrl: `${base}/html`, cacheDir });
    await expect(run).rejects.toThrow(FormatError);
    await expect(run).rejects.toThrow(
      new RegExp(`GET ${base}/html/${SMALL}: corrupt gzip data \\(incorrect header check\\)`),
    );
    expect(listing()).toEqual(GZ.filter((f) => f !== SMALL).sort());
  });

  it('reports a connection dropped mid-body and leaves nothing behind', async () => {
    const run = downloadDataset('fashion-mnist', { baseUrl: `${base}/drop`, cacheDir });
    await expect(run).rejects.toThrow(DataError);
    await expect(run).rejects.toThrow(
      new RegExp(`GET ${base}/drop/${SMALL}: connection lost after 2000 of 5125 bytes`),
    );
    expect(listing()).toEqual(GZ.filter((f) => f !== SMALL).sort());
  });

  it('reports a server that cannot be reached', async () => {
    const closed = createServer(); // a port that was free a moment ago and is closed now
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(downloadDataset('fashion-mnist', { baseUrl: `http://127.0.0.1:${port}/`, cacheDir })).rejects.toThrow(
      new RegExp(`GET http://127.0.0.1:${port}/${SMALL}: could not connect: fetch failed \\(connect ECONNREFUSED`),
    );
    expect(listing()).toEqual(GZ.filter((f) => f !== SMALL).sort());
  });

  it('reports an HTTP error status', async () => {
    await expect(downloadDataset('fashion-mnist', { baseUrl: `${base}/missing`, cacheDir })).rejects.toThrow(
      new RegExp(`GET ${base}/missing/${SMALL}: the server answered HTTP 404 Not Found`),
    );
    expect(listing()).toEqual(GZ.filter((f) => f !== SMALL).sort());
  });

  it('gives up on a server that stops sending', async () => {
    const run = downloadDataset('fashion-mnist', { baseUrl: `${base}/stall`, cacheDir, idleTimeoutMs: 300 });
    await expect(run).rejects.toThrow(new RegExp(`GET ${base}/stall/${SMALL}: no data for 300 ms, giving up`));
    expect(listing()).toEqual(GZ.filter((f) => f !== SMALL).sort());
  });

  it('completes a partial cache', async () => {
    const result = await downloadDataset('fashion-mnist', { baseUrl: `${base}/good`, cacheDir });
    expect(result.files.map((f) => f.status)).toEqual(['present', 'present', 'present', 'downloaded']);
    expect(listing()).toEqual([...GZ].sort());
  });
});
