// `backprop data fetch` against a local HTTP server serving Debian's Fashion-MNIST files.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, scratch } from './helpers.js';

const SOURCE = '/usr/share/datasets/fashion-mnist';

describe.skipIf(!existsSync(SOURCE))('backprop data fetch', () => {
  let server: Server;
  let base = '';
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const file = (req.url ?? '').split('/').pop()!;
      hits.push(file);
      const path = join(SOURCE, file);
      if (req.url?.includes('/nothing/') || !existsSync(path)) {
        res.writeHead(404).end();
        return;
      }
      const body = readFileSync(path);
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('downloads and checks the four files, then finds them present', async () => {
    const cache = scratch();
    const r = await cli('data', 'fetch', 'fashion-mnist', '--base-url', base, '--cache-dir', cache, '--json');
    expect(r.code, r.err).toBe(0);
    const json = JSON.parse(r.out) as { dir: string; files: { file: string; status: string }[] };
    expect(json.dir).toBe(join(cache, 'fashion-mnist'));
    expect(json.files.map((f) => f.status)).toEqual(['downloaded', 'downloaded', 'downloaded', 'downloaded']);
    expect(r.err).toMatch(/downloaded train-images-idx3-ubyte\.gz \(26421856 bytes\)/);
    const again = await cli('data', 'fetch', 'fashion-mnist', '--base-url', base, '--cache-dir', cache);
    expect(again.code).toBe(0);
    expect(
      again.out
        .trim()
        .split('\n')
        .map((l) => l.split(/\s+/)[0]),
    ).toEqual(['present', 'present', 'present', 'present']);
    expect(hits).toHaveLength(4);
    // 30 MB of downloads: not left in /tmp.
    rmSync(cache, { recursive: true, force: true });
  }, 60_000);

  it('an unknown data set and an HTTP 404 are clear errors', async () => {
    const unknown = await cli('data', 'fetch', 'cifar', '--cache-dir', scratch());
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/image data set "cifar" is unknown; known: fashion-mnist, mnist/);
    const missing = await cli('data', 'fetch', 'mnist', '--base-url', base + 'nothing/', '--cache-dir', scratch());
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(
      /^error: download mnist: GET http:\/\/127\.0\.0\.1:\d+\/nothing\/train-images-idx3-ubyte\.gz.*404/m,
    );
  });
});
