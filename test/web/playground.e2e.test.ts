// The built playground in headless Chromium: it learns XOR, redraws its views, reproduces a run
// from its link, never stalls, takes settings live, survives bad links, and lays out on a phone.
// Its worker trains on the WASM backend (two threads when the page is cross-origin isolated), or on
// the reference backend where WebAssembly is missing.
// The frame rate while training is measured and logged (a shared machine cannot promise one).
// Skipped only when the system Chromium is missing.
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ISOLATION_HEADERS } from '../../web/vite.config.js';
import { hasChromium, launchChromium, serveDirectory } from './static-site.js';

const ROOT = resolve(import.meta.dirname, '../..');
const DIST = join(ROOT, 'web/dist');

let server: Server | undefined;
let browser: Browser | undefined;
let base = '';
/** The same site served with the cross-origin isolation headers. */
let isolated: { server: Server; base: string } | undefined;

beforeAll(async () => {
  if (!hasChromium) return;
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'web/vite.config.ts'), logLevel: 'warn' });
  ({ server, base } = await serveDirectory(DIST));
  isolated = await serveDirectory(DIST, ISOLATION_HEADERS);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const s of [server, isolated?.server]) await new Promise((done) => (s ? s.close(done) : done(undefined)));
});

/** `at.base`: another server of the site; `at.prepare` runs before the page loads (e.g. to route requests). */
async function open(
  query = '',
  viewport = { width: 1280, height: 900 },
  at: { base?: string; prepare?: (page: Page) => Promise<void> } = {},
): Promise<Page> {
  const page = await browser!.newPage({ viewport });
  await at.prepare?.(page);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${at.base ?? base}${query}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="train-loss"]')?.textContent !== '–');
  expect(errors).toEqual([]);
  return page;
}

const value = async (page: Page, testid: string): Promise<number> =>
  Number(await page.getAttribute(`[data-testid="${testid}"]`, 'data-value'));

/** A hash of the boundary canvas's pixels, to see that the heat map was redrawn differently. */
const boundaryHash = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="boundary"]')!;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let h = 2166136261;
    for (let i = 0; i < pixels.length; i++) h = Math.imul(h ^ pixels[i]!, 16777619);
    return h >>> 0;
  });

/** requestAnimationFrame callbacks per second over `ms`, and how many snapshots the page drew meanwhile. */
const measureFps = (page: Page, ms: number): Promise<{ fps: number; epochsPerSecond: number }> =>
  page.evaluate(
    (duration) =>
      new Promise((done) => {
        const epoch = (): number => Number(document.querySelector('[data-testid="epoch"]')!.getAttribute('data-value'));
        const e0 = epoch();
        let frames = 0;
        const t0 = performance.now();
        const tick = (): void => {
          frames++;
          const t = performance.now() - t0;
          if (t < duration) requestAnimationFrame(tick);
          else done({ fps: (frames * 1000) / t, epochsPerSecond: ((epoch() - e0) * 1000) / t });
        };
        requestAnimationFrame(tick);
      }),
    ms,
  );

describe.skipIf(!hasChromium)('playground in a browser', () => {
  it('learns XOR while the boundary, loss readouts and charts update', async () => {
    const page = await open('?layers=4-8-8&seed=1');
    await page.selectOption('[data-testid="dataset-select"]', 'xor');
    await page.waitForFunction(() => location.search.includes('data=xor'));
    await page.waitForFunction(
      () => document.querySelector('[data-testid="step"]')?.getAttribute('data-value') === '0',
    );
    const before = { hash: await boundaryHash(page), loss: await value(page, 'test-loss') };
    expect(before.loss).toBeGreaterThan(0.5);

    await page.click('[data-testid="train-button"]');
    await expect.poll(() => page.isEnabled('[data-testid="pause-button"]')).toBe(true);
    const { fps, epochsPerSecond } = await measureFps(page, 2000);
    console.log(
      `playground: ${fps.toFixed(1)} frames per second while training a 2-4-8-8-1 network (${epochsPerSecond.toFixed(1)} epochs per second)`,
    );
    expect(epochsPerSecond).toBeGreaterThan(0);

    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="test-loss"]')!.getAttribute('data-value')) < 0.3,
      null,
      { timeout: 20_000 },
    );
    await page.click('[data-testid="pause-button"]');
    await expect.poll(() => page.isEnabled('[data-testid="train-button"]')).toBe(true);
    expect(await value(page, 'epoch')).toBeGreaterThan(0);
    // The loss went below 0.3 before the pause; a step or two in flight may have moved it a little since.
    expect(await value(page, 'test-loss')).toBeLessThan(0.5);
    expect(await value(page, 'test-metric')).toBeGreaterThan(0.8);
    expect(await boundaryHash(page)).not.toBe(before.hash);
    // Hidden tanh activations: the histogram view reports the saturated share.
    expect(await page.textContent('[data-testid="hist-summary"]')).toMatch(
      /^hidden layer 1: [\d.]+ % saturated; hidden layer 2: /,
    );
    // TensorFlow Playground's view toggles redraw the boundary.
    const trained = await boundaryHash(page);
    await page.uncheck('[data-testid="show-test-toggle"]');
    await expect.poll(() => boundaryHash(page)).not.toBe(trained);
    await page.check('[data-testid="discretize-toggle"]');
    const discrete = await boundaryHash(page);
    await page.uncheck('[data-testid="discretize-toggle"]');
    await page.check('[data-testid="show-test-toggle"]');
    await expect.poll(() => boundaryHash(page)).toBe(trained);
    expect(discrete).not.toBe(trained);

    // Paused: nothing moves until the next step, which advances exactly one batch.
    const paused = await value(page, 'step');
    await page.waitForTimeout(300);
    expect(await value(page, 'step')).toBe(paused);
    await page.click('[data-testid="step-button"]');
    await expect.poll(() => value(page, 'step')).toBe(paused + 1);
    await page.screenshot({ path: '/tmp/playground-desktop.png', fullPage: true });

    await page.click('[data-testid="reset-button"]');
    await expect.poll(() => value(page, 'step')).toBe(0);
    expect(await value(page, 'test-loss')).toBeCloseTo(before.loss, 10);
    await page.close();
  });

  it('reproduces a run from its link: 25 clicks on step equal steps=25 in a fresh page', async () => {
    const query =
      '?data=spiral&noise=0.1&train=0.5&seed=7&n=300&layers=6-6&act=relu&out=sigmoid_bce&init=he_normal&opt=sgd&lr=0.05&batch=8&mom=0.9&l2=0.001&std=1&identity=0&zero=0';
    const stepped = await open(query);
    for (let i = 0; i < 25; i++) await stepped.click('[data-testid="step-button"]');
    await expect.poll(() => value(stepped, 'step')).toBe(25);
    const linked = await open(`${query}&steps=25`);
    await expect.poll(() => value(linked, 'step'), { timeout: 30_000 }).toBe(25);
    await expect.poll(() => linked.isEnabled('[data-testid="train-button"]')).toBe(true);
    for (const id of ['epoch', 'batch-loss', 'train-loss', 'test-loss']) {
      expect(await value(linked, id), id).toBe(await value(stepped, id));
      expect(await linked.textContent(`[data-testid="${id}"]`)).toBe(
        await stepped.textContent(`[data-testid="${id}"]`),
      );
    }
    expect(await boundaryHash(linked)).toBe(await boundaryHash(stepped));
    // The page's own link carries the step count.
    const href = await stepped.getAttribute('[data-testid="permalink"]', 'href');
    expect(href).toContain('steps=25');
    expect(href).toContain('data=spiral');
    await stepped.close();
    await linked.close();
  });

  it('shows unbroken symmetry under zero initialisation and runs the gradient check', async () => {
    const page = await open('?data=circle&layers=3-3&act=sigmoid&zero=1&steps=40');
    await expect.poll(() => value(page, 'step'), { timeout: 30_000 }).toBe(40);
    expect(await page.getAttribute('[data-testid="symmetry"]', 'data-identical')).toBe('true');
    expect(await page.textContent('[data-testid="symmetry"]')).toMatch(
      /Zero weights with sigmoid: every hidden output is σ\(0\) = 0\.5/,
    );
    await page.uncheck('[data-testid="zero-init-toggle"]');
    await expect.poll(() => page.getAttribute('[data-testid="symmetry"]', 'data-identical')).toBe('false');
    await page.click('[data-testid="gradcheck-button"]');
    await page.waitForSelector('[data-testid="gradcheck-verdict"]');
    expect(await page.textContent('[data-testid="gradcheck-verdict"]')).toMatch(/^Passed/);
    expect(await page.locator('[data-testid="gradcheck-row"]').count()).toBe(6);
    await page.close();
  });

  it('the gradient check passes a deep sigmoid network and fails a planted bug', async () => {
    const page = await open('?data=circle&layers=4-4-4-4&act=sigmoid&seed=2&steps=5');
    await expect.poll(() => value(page, 'step'), { timeout: 30_000 }).toBe(5);
    await page.click('[data-testid="gradcheck-button"]');
    await page.waitForSelector('[data-testid="gradcheck-verdict"]');
    expect(await page.textContent('[data-testid="gradcheck-verdict"]')).toMatch(
      /^Passed at step 5: every tensor within/,
    );
    expect(await page.locator('[data-testid="gradcheck-sample"]').count()).toBeGreaterThan(10);
    await page.check('[data-testid="plant-bug-toggle"]');
    await page.click('[data-testid="gradcheck-button"]');
    await expect
      .poll(() => page.textContent('[data-testid="gradcheck-verdict"]'))
      .toMatch(/^Failed at step 5 \(with the planted bug\): layers\.0\.weight, layers\.0\.bias outside/);
    await page.close();
  });

  it('walks one batch through forward, loss, the δ recursion, gradients and update', async () => {
    const page = await open('?data=xor&layers=3-2&act=tanh&opt=sgd&lr=0.1&seed=3&steps=4');
    await expect.poll(() => value(page, 'step'), { timeout: 30_000 }).toBe(4);
    await page.click('[data-testid="walk-button"]');
    await expect.poll(() => value(page, 'step')).toBe(5);
    const titles: string[] = [];
    for (let phase = 0; phase < 9; phase++) {
      titles.push((await page.textContent('[data-testid="walk-phase-title"]'))!);
      expect(await page.textContent('[data-testid="walk-counter"]')).toBe(`Phase ${phase + 1} of 9 · batch at step 4`);
      if (phase < 8) await page.click('[data-testid="walk-next"]');
    }
    expect(await page.isEnabled('[data-testid="walk-next"]')).toBe(false);
    expect(titles[0]).toMatch(/^Forward, layer 1 of 3: z⁽1⁾ = W⁽1⁾ a⁽0⁾ \+ b⁽1⁾/);
    expect(titles[2]).toMatch(/^Forward, layer 3 of 3/);
    expect(titles[3]).toMatch(/^The loss: J = [\d.]+ \(binary_crossentropy/);
    expect(titles[4]).toMatch(/^Backward, the output layer: δ⁽3⁾ = \(ŷ − y\) \/ m/);
    expect(titles[5]).toMatch(/^Backward, layer 2: δ⁽2⁾ = \(W⁽3⁾ᵀ δ⁽3⁾\) ⊙ g′\(z⁽2⁾\)/);
    expect(titles[6]).toMatch(/^Backward, layer 1: δ⁽1⁾/);
    expect(titles[7]).toMatch(/^Gradients on the edges/);
    expect(titles[8]).toMatch(/^The update \(sgd, learning rate 0\.1\)/);
    // Back to layer 1's δ: every neuron has a δ with its number in the tooltip.
    for (let i = 0; i < 2; i++) await page.click('[data-testid="walk-back"]');
    const cell = page.locator('[data-testid="walk-δ-1-3"]');
    expect(Number(await cell.getAttribute('title').then((t) => t!.split(': ').pop()))).not.toBeNaN();
    await page.screenshot({ path: '/tmp/playground-walk.png', fullPage: true });
    await page.close();
  });

  it('takes a dropped CSV into the link, and works from the keyboard', async () => {
    const page = await open();
    const rows = [
      'x1,x2,label',
      ...Array.from({ length: 40 }, (_, i) => `${(i % 8) - 4},${Math.floor(i / 8) - 2},${(i % 8) - 4 > 0 ? 'b' : 'a'}`),
    ];
    await page.setInputFiles('[data-testid="csv-input"]', {
      name: 'mine.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(rows.join('\n')),
    });
    await page.waitForFunction(() => location.search.includes('data=csv'));
    expect(await page.inputValue('[data-testid="dataset-select"]')).toBe('csv');
    expect(await page.textContent('[data-testid="status"]')).toContain("'a' is class 0");
    await page.focus('[data-testid="train-button"]');
    await page.keyboard.press('Enter');
    await expect.poll(() => value(page, 'epoch')).toBeGreaterThan(3);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('pause-button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.isEnabled('[data-testid="train-button"]')).toBe(true);
    // The same link in a fresh page holds the same data set.
    const again = await open(new URL(page.url()).search);
    expect(await again.inputValue('[data-testid="dataset-select"]')).toBe('csv');
    await page.close();
    await again.close();
  });

  it('never stalls: training resumes after every pause, and after typing a value then Train', async () => {
    const page = await open('?data=xor&layers=4-4&seed=3');
    for (let round = 0; round < 8; round++) {
      await page.click('[data-testid="train-button"]');
      const started = await value(page, 'step');
      await expect
        .poll(() => value(page, 'step'), { timeout: 10_000, message: `round ${round + 1}: training went on` })
        .toBeGreaterThan(started + 20);
      await page.click('[data-testid="pause-button"]');
      await expect.poll(() => page.isEnabled('[data-testid="train-button"]')).toBe(true);
    }
    // Typing a value (a live change) and clicking Train at once.
    await page.fill('[data-testid="lr-input"]', '0.01');
    await page.click('[data-testid="train-button"]');
    const started = await value(page, 'step');
    await expect.poll(() => value(page, 'step'), { timeout: 10_000 }).toBeGreaterThan(started + 20);
    await page.close();
  });

  it('changes the learning rate, batch size and optimiser live, without resetting the run', async () => {
    const page = await open('?data=circle&layers=4-4&seed=2&opt=adam&lr=0.03&batch=10');
    await page.click('[data-testid="train-button"]');
    await expect.poll(() => value(page, 'step')).toBeGreaterThan(100);
    for (const [selector, input] of [
      ['[data-testid="lr-input"]', '0.003'],
      ['[data-testid="batch-input"]', '20'],
    ] as const) {
      const before = await value(page, 'step');
      await page.fill(selector, input);
      await page.press(selector, 'Tab');
      await expect.poll(() => value(page, 'step')).toBeGreaterThan(before + 10);
      expect(await page.isEnabled('[data-testid="pause-button"]')).toBe(true);
    }
    const before = await value(page, 'step');
    await page.selectOption('[data-testid="optimizer-select"]', 'sgd');
    await expect.poll(() => value(page, 'step')).toBeGreaterThan(before + 10);
    expect(new URL(page.url()).searchParams.get('opt')).toBe('sgd');
    expect(new URL(page.url()).searchParams.get('lr')).toBe('0.003');
    // An architecture change starts over.
    await page.click('[data-testid="pause-button"]');
    await page.selectOption('[data-testid="activation-select"]', 'relu');
    await expect.poll(() => value(page, 'step')).toBe(0);
    await page.close();
  });

  /** The backend the page names, once the worker has said. */
  const backendOf = async (page: Page): Promise<{ name: string; threads: number; text: string }> => {
    await page.waitForFunction(() => document.querySelector('[data-testid="backend"]')?.hasAttribute('data-backend'));
    const at = '[data-testid="backend"]';
    return {
      name: (await page.getAttribute(at, 'data-backend'))!,
      threads: Number(await page.getAttribute(at, 'data-threads')),
      text: (await page.textContent(at))!,
    };
  };

  /** Trains from step 0 until `steps`, pauses, and returns the training loss before and after. */
  const trainFor = async (page: Page, steps: number): Promise<{ before: number; after: number }> => {
    const before = await value(page, 'train-loss');
    await page.click('[data-testid="train-button"]');
    await expect.poll(() => value(page, 'step'), { timeout: 30_000 }).toBeGreaterThan(steps);
    await page.click('[data-testid="pause-button"]');
    await expect.poll(() => page.isEnabled('[data-testid="train-button"]')).toBe(true);
    // A snapshot sent before the pause reached the worker can still arrive: wait until the step count rests.
    let last = await value(page, 'step');
    for (;;) {
      await page.waitForTimeout(300);
      const now = await value(page, 'step');
      if (now === last) break;
      last = now;
    }
    return { before, after: await value(page, 'train-loss') };
  };

  it('trains on the WASM backend (one thread without isolation); a live learning rate keeps the weights and step count', async () => {
    const page = await open('?data=xor&layers=4-8-8&seed=1&opt=adam&lr=0.03&batch=10');
    const backend = await backendOf(page);
    expect(backend).toMatchObject({ name: 'wasm', threads: 1 });
    expect(backend.text).toMatch(
      /^Backend: WASM, (relaxed|simd|scalar) build, 1 thread \(2 where the page is served cross-origin isolated\)$/,
    );
    const { before, after } = await trainFor(page, 200);
    expect(after).toBeLessThan(0.7 * before);
    const paused = await value(page, 'step');
    await page.fill('[data-testid="lr-input"]', '0.001');
    await page.press('[data-testid="lr-input"]', 'Tab');
    await page.waitForFunction(() => location.search.includes('lr=0.001'));
    // The update is acknowledged by a fresh snapshot: same step, same loss (no new run, no step taken).
    await page.waitForTimeout(300);
    expect(await value(page, 'step')).toBe(paused);
    expect(await value(page, 'train-loss')).toBe(after);
    await page.click('[data-testid="step-button"]');
    await expect.poll(() => value(page, 'step')).toBe(paused + 1);
    await page.close();
  });

  it('runs the WASM backend on two threads when the page is cross-origin isolated, and learns', async () => {
    const page = await open('?data=circle&layers=8-8&seed=4&batch=30', undefined, { base: isolated!.base });
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const backend = await backendOf(page);
    expect(backend).toMatchObject({ name: 'wasm', threads: 2 });
    expect(backend.text).toMatch(/^Backend: WASM, (relaxed|simd|scalar) build, 2 threads$/);
    const { before, after } = await trainFor(page, 150);
    expect(after).toBeLessThan(0.7 * before);
    await page.close();
  });

  it('falls back to the reference backend where WebAssembly is missing, and says so', async () => {
    // The worker is one bundled script: removing WebAssembly at its top is a worker without it.
    const withoutWasm = async (page: Page): Promise<void> => {
      await page.route(/\/assets\/worker-[^/]*\.js$/, async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, body: `delete globalThis.WebAssembly;\n${await response.text()}` });
      });
    };
    const page = await open('?data=circle&layers=8-8&seed=4&batch=30', undefined, { prepare: withoutWasm });
    const backend = await backendOf(page);
    expect(backend.name).toBe('reference');
    expect(backend.text).toMatch(
      /^Backend: reference \(JavaScript\); WebAssembly did not load: wasm backend: this runtime has no WebAssembly$/,
    );
    const { before, after } = await trainFor(page, 150);
    expect(after).toBeLessThan(0.7 * before);
    await page.close();
  });

  it('replays a long link with progress, and Reset cancels it', async () => {
    const page = await open('?data=spiral&layers=8-8-8&batch=1&steps=100000');
    await expect
      .poll(() => page.textContent('[data-testid="status"]'))
      .toMatch(/Replaying the link's steps: \d+ of 100000/);
    const first = await value(page, 'step');
    await expect.poll(() => value(page, 'step')).toBeGreaterThan(first);
    await page.click('[data-testid="reset-button"]');
    await expect.poll(() => value(page, 'step')).toBe(0);
    await page.waitForTimeout(500);
    expect(await value(page, 'step')).toBe(0);
    expect(await page.textContent('[data-testid="status"]')).not.toMatch(/Replaying/);
    await page.close();
  });

  it('a broken link falls back to defaults, says what was ignored and cleans the address', async () => {
    for (const query of ['?data=csv&csv=garbage&layers=3', '?data=csv&csv=1,2', '?lr=banana&layers=4-4']) {
      const page = await open(query);
      expect(await page.textContent('[data-testid="status"]'), query).toMatch(/could not be read; defaults are used/);
      expect(await page.isEnabled('[data-testid="train-button"]')).toBe(true);
      const search = new URL(page.url()).searchParams;
      expect(search.get('lr'), query).not.toBe('banana');
      expect(search.get('csv'), query).toBeNull();
      expect(search.get('data'), query).not.toBe('csv');
      await page.close();
    }
  });

  it('says why a typed value was not taken, plots single steps, and flags a loss that grows 100×', async () => {
    const page = await open('?data=circle&layers=4&seed=4&opt=sgd&lr=0.03');
    await page.fill('[data-testid="lr-input"]', '-5');
    await page.press('[data-testid="lr-input"]', 'Tab');
    await expect
      .poll(() => page.textContent('[data-testid="status"]'))
      .toMatch(/Learning rate: '-5' is not a number from 0\.000001 to 10; kept 0\.03\./);
    expect(await page.inputValue('[data-testid="lr-input"]')).toBe('0.03');
    // Each step by hand adds a point to the loss chart.
    const before = await page.evaluate(() =>
      document.querySelector<HTMLCanvasElement>('[data-testid="loss-chart"]')!.toDataURL(),
    );
    await page.click('[data-testid="step-button"]');
    await page.click('[data-testid="step-button"]');
    await expect.poll(() => value(page, 'step')).toBe(2);
    await expect
      .poll(() =>
        page.evaluate(() => document.querySelector<HTMLCanvasElement>('[data-testid="loss-chart"]')!.toDataURL()),
      )
      .not.toBe(before);
    await page.check('[data-testid="loss-log-toggle"]');
    // Just above the stable learning rate of gradient descent: after 6 steps the loss has grown from
    // about 0.3 to about 950, still finite.
    const bad = await open('?data=surface&layers=4&act=linear&seed=4&opt=gd&lr=0.58&steps=6');
    await expect.poll(() => value(bad, 'step'), { timeout: 30_000 }).toBe(6);
    await expect
      .poll(() => bad.textContent('[data-testid="status"]'))
      .toMatch(
        /The loss grew to \d+(\.\d+)?, over 100× its lowest \([\d.]+\): the learning rate is probably too large\./,
      );
    await page.close();
    await bad.close();
  });

  it('accepts TensorFlow Playground style layer lists in links', async () => {
    const page = await open('?layers=4,3&data=xor');
    expect(await page.inputValue('[data-testid="neurons-0"]')).toBe('4');
    expect(await page.inputValue('[data-testid="neurons-1"]')).toBe('3');
    expect(await page.textContent('[data-testid="status"]')).not.toMatch(/could not be read/);
    await page.close();
  });

  it('fits a phone-sized screen without sideways scrolling', async () => {
    const page = await open('?data=spiral&layers=8-8-8&steps=300', { width: 390, height: 844 });
    await expect.poll(() => value(page, 'step'), { timeout: 30_000 }).toBe(300);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await page.locator('[data-testid="boundary"]').boundingBox();
    expect(box!.width).toBeGreaterThan(250);
    // Touch targets of at least 44 px, and Train within reach after scrolling down to the controls.
    for (const id of ['train-button', 'pause-button', 'step-button', 'reset-button', 'lr-input', 'optimizer-select']) {
      expect((await page.locator(`[data-testid="${id}"]`).boundingBox())!.height, id).toBeGreaterThanOrEqual(44);
    }
    await page.locator('[data-testid="lr-input"]').scrollIntoViewIfNeeded();
    const train = (await page.locator('[data-testid="train-button"]').boundingBox())!;
    expect(train.y).toBeGreaterThanOrEqual(0);
    expect(train.y + train.height).toBeLessThanOrEqual(844);
    await page.screenshot({ path: '/tmp/playground-phone.png', fullPage: true });
    await page.screenshot({ path: '/tmp/playground-phone-top.png' });
    await page.close();
  });
});
