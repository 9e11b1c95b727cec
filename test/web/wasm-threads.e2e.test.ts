// The wasm backend in headless Chromium: inside a worker of a cross-origin isolated page it runs on
// two threads (Web Workers over shared memory); without isolation (no SharedArrayBuffer) it falls
// back to one thread. Either way its results match the reference backend.
// Skipped only when the system Chromium is missing.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
const hasChromium = existsSync(CHROMIUM);

interface Report {
  error?: string;
  crossOriginIsolated: boolean | null;
  support: { sharedMemory: boolean; threads: boolean };
  threads: number;
  build: string;
  gathered: boolean;
  errors: Record<string, number>;
}

let dist = '';
let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

beforeAll(async () => {
  if (!hasChromium) return;
  dist = await mkdtemp(join(tmpdir(), 'backprop-wasm-page-'));
  const { build } = await import('vite');
  await build({ configFile: resolve(import.meta.dirname, 'wasm-threads/vite.config.ts'), build: { outDir: dist } });
  // /isolated/… is served with the headers that make a page cross-origin isolated; /plain/… without.
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const [, mode, ...rest] = url.pathname.split('/');
    const path = normalize('/' + rest.join('/'));
    const file = join(dist, path.endsWith('/') ? `${path}index.html` : path);
    if (!file.startsWith(dist) || (mode !== 'isolated' && mode !== 'plain')) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
    if (mode === 'isolated')
      Object.assign(headers, {
        'cross-origin-opener-policy': 'same-origin',
        'cross-origin-embedder-policy': 'require-corp',
      });
    readFile(file).then(
      (body) => res.writeHead(200, headers).end(body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((done) => server!.listen(0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (dist) await rm(dist, { recursive: true, force: true });
});

async function report(mode: 'isolated' | 'plain'): Promise<Report> {
  const page = await browser!.newPage();
  try {
    await page.goto(`${base}${mode}/`);
    await page.waitForFunction(() => (window as unknown as { report?: unknown }).report !== undefined, undefined, {
      timeout: 60_000,
    });
    return (await page.evaluate(() => (window as unknown as { report: unknown }).report)) as Report;
  } finally {
    await page.close();
  }
}

function expectAgreement(r: Report): void {
  expect(r.error).toBeUndefined();
  expect(r.gathered).toBe(true);
  // float32 products with k up to 784 of values in [−0.5, 0.5]; Adam and the gather are elementwise.
  for (const [name, error] of Object.entries(r.errors))
    expect(error, name).toBeLessThan(name.startsWith('gemm') ? 1e-4 : 1e-6);
}

describe.skipIf(!hasChromium)('wasm backend in Chromium', () => {
  it('runs on two threads (Web Workers over shared memory) in a cross-origin isolated page and matches the reference', async () => {
    const r = await report('isolated');
    expect(r.crossOriginIsolated).toBe(true);
    expect(r.support.threads).toBe(true);
    expect(r.threads).toBe(2);
    expectAgreement(r);
  }, 90_000);

  it('falls back to one thread without cross-origin isolation and still matches the reference', async () => {
    const r = await report('plain');
    expect(r.crossOriginIsolated).toBe(false);
    expect(r.support.sharedMemory).toBe(false);
    expect(r.threads).toBe(1);
    expectAgreement(r);
  }, 90_000);
});
