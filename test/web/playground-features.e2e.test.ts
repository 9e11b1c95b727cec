// The built playground in headless Chromium with TensorFlow Playground's extras: input features
// change the input layer and let a network without hidden layers learn the circle, L1 from a link
// leaves more near-zero weights, the multi-Gaussian regression trains, and a node's heat map is
// enlarged on hover and from the keyboard. Skipped only when the system Chromium is missing.

import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, hasChromium, launchChromium, serveDirectory } from './static-site.js';

let server: Server | undefined;
let browser: Browser | undefined;
let base = '';
// Its own output folder: the other browser tests build at the same time.
let DIST = '';

beforeAll(async () => {
  if (!hasChromium) return;
  DIST = await buildSite('playground-features-dist-');
  ({ server, base } = await serveDirectory(DIST));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (DIST) await rm(DIST, { recursive: true, force: true });
});

async function open(query = ''): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}${query}`);
  await page.waitForFunction(() => document.querySelector('[data-testid="train-loss"]')?.textContent !== '–');
  return { page, errors };
}

const value = async (page: Page, testid: string): Promise<number> =>
  Number(await page.getAttribute(`[data-testid="${testid}"]`, 'data-value'));

interface DrawnNode {
  label: string;
  x: number;
  y: number;
}
const nodes = async (page: Page): Promise<DrawnNode[]> =>
  JSON.parse((await page.getAttribute('[data-testid="network"]', 'data-nodes')) ?? '[]') as DrawnNode[];

/** Replays `steps` from the link (the page trains them on load) and waits until they are done. */
async function replayed(page: Page, steps: number): Promise<void> {
  await page.waitForFunction(
    (n) => document.querySelector('[data-testid="step"]')?.getAttribute('data-value') === String(n),
    steps,
    { timeout: 60_000 },
  );
}

/** How many weights the page counts as near zero after replaying `steps` of the link's run. */
async function nearZeroWeights(query: string, steps: number): Promise<number> {
  const { page, errors } = await open(`${query}&steps=${steps}`);
  await replayed(page, steps);
  const text = await page.textContent('[data-testid="sparsity"]');
  expect(text).toMatch(/^\d+ of 48 weights are near zero \(\|w\| < 0\.01\)/);
  const small = await value(page, 'sparsity');
  expect(errors).toEqual([]);
  await page.close();
  return small;
}

describe.skipIf(!hasChromium)('playground: features, L1, regression data, enlarged nodes', () => {
  it('x₁² and x₂² replace the inputs and let a network without hidden layers learn the circle', async () => {
    const { page, errors } = await open('?data=circle&noise=0&seed=5&layers=&opt=adam&lr=0.1');
    expect((await nodes(page)).slice(0, 2).map((n) => n.label)).toEqual(['x₁', 'x₂']);
    await page.check('[data-testid="feature-x1sq"]');
    await page.check('[data-testid="feature-x2sq"]');
    await page.uncheck('[data-testid="feature-x1"]');
    await page.uncheck('[data-testid="feature-x2"]');
    await expect.poll(async () => (await nodes(page)).map((n) => n.label)).toEqual(['x₁²', 'x₂²', 'output']);
    expect(new URL(page.url()).searchParams.get('features')).toBe('x1sq-x2sq');
    await page.click('[data-testid="train-button"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="test-metric"]')!.getAttribute('data-value')) > 0.95,
      null,
      { timeout: 30_000 },
    );
    await page.click('[data-testid="pause-button"]');
    // Unchecking every feature is refused with a message; the run keeps its inputs.
    await page.uncheck('[data-testid="feature-x1sq"]');
    // The last one: the form puts its tick back, so click it rather than uncheck (which insists on the new state).
    await page.click('[data-testid="feature-x2sq"]');
    await expect
      .poll(() => page.textContent('[data-testid="status"]'))
      .toMatch(/Input features: the network needs at least one; kept x₂²\./);
    expect(await page.isChecked('[data-testid="feature-x2sq"]')).toBe(true);
    expect((await nodes(page)).map((n) => n.label)).toEqual(['x₂²', 'output']);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('L1 from a link leaves many more near-zero weights than the same run without it', async () => {
    const query = '?data=circle&seed=3&features=x1-x2-x1sq-x2sq-x1x2-sinx1-sinx2&layers=6&opt=sgd&lr=0.1&batch=10';
    const withL1 = await nearZeroWeights(`${query}&l1=0.01`, 960);
    expect(withL1).toBeGreaterThan(20);
    const without = await nearZeroWeights(`${query}&l1=0`, 960);
    expect(withL1).toBeGreaterThan(without + 5);
    // The form shows the link's penalty.
    const { page } = await open(`${query}&l1=0.01`);
    expect(await page.inputValue('[data-testid="regularization-select"]')).toBe('l1');
    expect(await page.inputValue('[data-testid="reg-rate-input"]')).toBe('0.01');
    // The penalty changes live: the run keeps its steps.
    for (let i = 0; i < 3; i++) await page.click('[data-testid="step-button"]');
    await expect.poll(() => value(page, 'step')).toBe(3);
    await page.selectOption('[data-testid="regularization-select"]', 'l2');
    await expect.poll(() => new URL(page.url()).searchParams.get('l2')).toBe('0.01');
    expect(await value(page, 'step')).toBe(3);
    await page.selectOption('[data-testid="regularization-select"]', 'none');
    await expect.poll(() => page.isDisabled('[data-testid="reg-rate-input"]')).toBe(true);
    expect(new URL(page.url()).searchParams.get('l2')).toBe('0');
    expect(await value(page, 'step')).toBe(3);
    expect(new URL(page.url()).searchParams.get('l1')).toBe('0');
    await page.close();
  }, 150_000);

  it('the multi-Gaussian regression loads and trains (R² rises)', async () => {
    const { page, errors } = await open('?data=multigauss&noise=0&layers=8-8&act=tanh&opt=adam&lr=0.03');
    expect(await page.inputValue('[data-testid="output-select"]')).toBe('linear_mse');
    expect(await page.textContent('#boundary-caption')).toMatch(/^Regression surface/);
    expect(await page.textContent('#metric-name')).toBe('Test R²');
    const before = await value(page, 'test-metric');
    await page.click('[data-testid="train-button"]');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid="test-metric"]')!.getAttribute('data-value')) > 0.5,
      null,
      { timeout: 45_000 },
    );
    await page.click('[data-testid="pause-button"]');
    expect(before).toBeLessThan(0.2);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("enlarges a node's heat map on hover and from the keyboard", async () => {
    const { page, errors } = await open('?data=circle&features=x1-x2-x1sq&layers=3');
    const zoom = page.locator('[data-testid="node-zoom"]');
    expect(await zoom.isHidden()).toBe(true);
    const drawn = await nodes(page);
    expect(drawn.map((n) => n.label)).toEqual([
      'x₁',
      'x₂',
      'x₁²',
      'layer 1, neuron 1',
      'layer 1, neuron 2',
      'layer 1, neuron 3',
      'output',
    ]);
    await page.locator('[data-testid="network"]').scrollIntoViewIfNeeded();
    const box = (await page.locator('[data-testid="network"]').boundingBox())!;
    const hidden = drawn[4]!;
    await page.mouse.move(box.x + hidden.x, box.y + hidden.y);
    await expect.poll(() => zoom.isVisible()).toBe(true);
    expect(await zoom.getAttribute('data-node')).toBe('layer 1, neuron 2');
    const zoomBox = (await zoom.locator('canvas').boundingBox())!;
    expect(zoomBox.width).toBeGreaterThanOrEqual(150);
    // The enlargement is a heat map, not a blank square: x₁² is light at the centre, dark at the edges.
    await page.mouse.move(box.x + drawn[2]!.x, box.y + drawn[2]!.y);
    await expect.poll(() => zoom.getAttribute('data-node')).toBe('x₁²');
    const [centre, edge] = await zoom.locator('canvas').evaluate((c: HTMLCanvasElement) => {
      const ctx = c.getContext('2d')!;
      const at = (x: number, y: number): number[] => Array.from(ctx.getImageData(x, y, 1, 1).data);
      return [at(c.width / 2, c.height / 2), at(2, c.height / 2)];
    });
    expect(centre).not.toEqual(edge);
    await page.mouse.move(box.x + 2, box.y + box.height - 2);
    await expect.poll(() => zoom.isHidden()).toBe(true);
    // Keyboard: focus the view, arrows walk through the nodes, Escape closes.
    await page.focus('[data-testid="network"]');
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => zoom.getAttribute('data-node')).toBe('x₁');
    await page.keyboard.press('ArrowDown');
    expect(await zoom.getAttribute('data-node')).toBe('x₂');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    expect(await zoom.getAttribute('data-node')).toBe('output');
    await page.keyboard.press('Escape');
    expect(await zoom.isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
