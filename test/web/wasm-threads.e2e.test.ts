// The wasm backend in headless Chromium: inside a worker of a cross-origin isolated page it runs on
// two threads (Web Workers over shared memory); without isolation (no SharedArrayBuffer) it falls
// back to one thread. Either way its results match the reference backend.
// Skipped only when the system Chromium is missing.
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium, launchChromium, serveDirectory } from './static-site.js';

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
const servers: Server[] = [];
let browser: Browser | undefined;
/** Base URLs: one server sends the headers that make a page cross-origin isolated, the other none. */
const base = { isolated: '', plain: '' };

beforeAll(async () => {
  if (!hasChromium) return;
  dist = await mkdtemp(join(tmpdir(), 'backprop-wasm-page-'));
  const { build } = await import('vite');
  await build({ configFile: resolve(import.meta.dirname, 'wasm-threads/vite.config.ts'), build: { outDir: dist } });
  const isolated = await serveDirectory(dist, {
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
  });
  const plain = await serveDirectory(dist);
  servers.push(isolated.server, plain.server);
  base.isolated = isolated.base;
  base.plain = plain.base;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  if (dist) await rm(dist, { recursive: true, force: true });
});

async function report(mode: 'isolated' | 'plain'): Promise<Report> {
  const page = await browser!.newPage();
  try {
    await page.goto(base[mode]);
    await page.waitForFunction(() => (window as unknown as { report?: unknown }).report !== undefined, undefined, {
      timeout: 60_000,
    });
    const r = (await page.evaluate(() => (window as unknown as { report: unknown }).report)) as Report;
    // A worker that threw reports only its error: show it rather than the first missing field.
    expect(r.error).toBeUndefined();
    return r;
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
