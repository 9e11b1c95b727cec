// The built tour page in headless Chromium: ten sections, each widget drawn and answering its
// controls with the library's numbers (the δ recursion matches back-propagation, 1.5⁵⁰ ≈ 6.4e8,
// zero initialisation keeps neurons identical, gradCheck fails at ε = 0.1), no console errors, and
// no sideways scroll on a 390 px phone. Skipped only when the system Chromium is missing.
import { rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSite, hasChromium, launchChromium, serveDirectory } from './static-site.js';

const SECTIONS = [
  'neuron',
  'shapes',
  'losses',
  'delta',
  'batches',
  'momentum',
  'scaling',
  'depth',
  'symmetry',
  'gradcheck',
];

// Its own output folder: the playground's test builds web/dist/ at the same time.
let DIST = '';
let server: Server | undefined;
let browser: Browser | undefined;
let base = '';

beforeAll(async () => {
  if (!hasChromium) return;
  DIST = await buildSite('tour-dist-');
  ({ server, base } = await serveDirectory(DIST));
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((done) => (server ? server.close(done) : done(undefined)));
  if (DIST) await rm(DIST, { recursive: true, force: true });
});

/** Opens the tour; `errors` collects page errors and console errors for the whole visit. */
async function open(viewport = { width: 1280, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser!.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${base}tour.html`);
  await page.waitForFunction(
    () => (document.querySelector('[data-testid="gradcheck-verdict"]')?.textContent ?? '') !== '',
  );
  return { page, errors };
}

const text = (page: Page, testid: string): Promise<string> => page.locator(`[data-testid="${testid}"]`).innerText();

/** Sets a range input as a person dragging it would (an input event). */
const setRange = (page: Page, testid: string, value: number): Promise<void> =>
  page.evaluate(
    ([id, v]) => {
      const input = document.querySelector<HTMLInputElement>(`[data-testid="${id}"]`)!;
      input.value = String(v);
      input.dispatchEvent(new Event('input', { bubbles: true }));
    },
    [testid, value] as const,
  );

/** Milliseconds from each control change to its output's update (logged: a shared machine cannot promise a figure). */
const latencies: string[] = [];

/** Runs `act` and waits until the output's text differs from before; returns the new text. */
async function changes(page: Page, output: string, act: () => Promise<unknown>): Promise<string> {
  const before = await text(page, output);
  const start = performance.now();
  await act();
  await page.waitForFunction(
    ([id, b]) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`)!.innerText !== b,
    [output, before] as const,
  );
  latencies.push(`${output} ${Math.round(performance.now() - start)} ms`);
  return text(page, output);
}

/** How many distinct colours a canvas shows (a blank canvas has one). */
const colours = (page: Page, testid: string): Promise<number> =>
  page.evaluate((id) => {
    const c = document.querySelector<HTMLCanvasElement>(`[data-testid="${id}"]`)!;
    const px = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < px.length; i += 4) seen.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
    return seen.size;
  }, testid);

describe.skipIf(!hasChromium)('the tour of the notes (built, in Chromium)', () => {
  it('has ten sections, each with an equation and a drawn widget, and drives every widget', async () => {
    const { page, errors } = await open();
    expect(await page.locator('[data-testid^="section-"]').count()).toBe(10);
    for (const name of SECTIONS) {
      const section = page.locator(`[data-testid="section-${name}"]`);
      expect(await section.locator('h2').count()).toBe(1);
      expect((await section.locator('.eq').innerText()).length).toBeGreaterThan(10);
      expect(await section.locator(`[data-testid="widget-${name}"] > *`).count()).toBeGreaterThan(1);
    }
    expect(await page.getAttribute('[data-testid="playground-link"]', 'href')).toBe('./index.html');

    // 1. The neuron: z and a follow w₁ and the activation; the heat map is drawn.
    expect(await text(page, 'neuron-output')).toMatch(
      /z = 1\.5·1 \+ -1·\(-0\.5\) \+ 0\.2 = 2.2, a = sigmoid\(z\) = 0\.9/,
    );
    expect(await changes(page, 'neuron-output', () => setRange(page, 'neuron-w1', -2))).toMatch(/z = -2·1 .* = -1\.3,/);
    expect(
      await changes(page, 'neuron-output', () => page.selectOption('[data-testid="neuron-activation"]', 'relu')),
    ).toMatch(/a = relu\(z\) = 0$/);
    expect(await colours(page, 'neuron-map')).toBeGreaterThan(20);

    // 2. Shapes: m = 5 gives A^[0] 2×5, Z^[1] 3×5 and nine matrices.
    expect(await changes(page, 'shapes-output', () => setRange(page, 'shapes-m', 5))).toContain(
      '(3×2)(2×5) + 3×1 → 3×5',
    );
    expect(await page.locator('[data-testid="widget-shapes"] table').count()).toBe(9);
    expect(
      await page.locator('[data-testid="widget-shapes"] table').first().locator('tr').first().locator('td').count(),
    ).toBe(5);

    // 3. Losses: L2 at ŷ = 0.3, y = 1 is 0.49 with derivative −1.4.
    await page.selectOption('[data-testid="loss-name"]', 'mse');
    expect(await changes(page, 'loss-output', () => setRange(page, 'loss-yhat', 0.3))).toContain(
      'J = 0.49, dJ/dŷ = -1.4',
    );
    expect(
      await changes(page, 'loss-output', () => page.selectOption('[data-testid="loss-name"]', 'binary_crossentropy')),
    ).toContain(`J = ${Number((-Math.log(0.3)).toPrecision(4))}`);

    // 4. The δ recursion, layer by layer, equals the library's gradients.
    for (let k = 1; k <= 3; k++) {
      await changes(page, 'delta-diff', () => page.click('[data-testid="delta-next"]'));
      expect(await page.locator('[data-testid="delta-output"] li').count()).toBe(k);
    }
    expect(await text(page, 'delta-output')).toMatch(/δ\^\[2\] = \(W\^\[3\]ᵀ δ\^\[3\]\) ⊙ tanh′\(z\^\[2\]\)/);
    expect(Number(await page.getAttribute('[data-testid="delta-diff"]', 'data-value'))).toBeLessThan(1e-9);
    expect(await page.isDisabled('[data-testid="delta-next"]')).toBe(true);
    await changes(page, 'delta-diff', () => page.selectOption('[data-testid="delta-activation"]', 'relu'));
    expect(await page.locator('[data-testid="delta-output"] li').count()).toBe(0);

    // 5. Batch against mini-batch.
    expect(await changes(page, 'batch-output', () => setRange(page, 'batch-epochs', 10))).toMatch(
      /After 10 epochs: batch J = [\d.]+ \(10 steps\), mini-batch J = [\d.]+ \(80 steps\)/,
    );
    expect(await colours(page, 'batch-chart')).toBeGreaterThan(4);

    // 6. Momentum: β moves both runs.
    expect(await changes(page, 'momentum-output', () => setRange(page, 'momentum-beta', 0.5))).toMatch(
      /^β = 0\.5, .*1\/\(1 − β\) = 2 times/,
    );
    expect(await colours(page, 'momentum-paths')).toBeGreaterThan(4);

    // 7. Standardisation: with the scale 50, standardised training ends lower.
    const scaled = (await text(page, 'scaling-output')).match(/J = ([\d.e-]+) as it is, ([\d.e-]+) standardised/)!;
    expect(Number(scaled[2])).toBeLessThan(Number(scaled[1]));
    expect(
      await changes(page, 'scaling-output', () => page.selectOption('[data-testid="scaling-scale"]', '1')),
    ).toContain('x₂ · 1 + 20');

    // 8. w^L through a chain, and per-layer gradient norms.
    expect(await text(page, 'chain-output')).toContain('1.5^50 = 6.4e8');
    expect(await changes(page, 'chain-output', () => page.selectOption('[data-testid="chain-w"]', '0.5'))).toContain(
      '0.5^50 = 8.9e-16',
    );
    expect(Number(await page.getAttribute('[data-testid="chain-output"]', 'data-value'))).toBeCloseTo(0.5 ** 50, 25);
    await changes(page, 'depth-output', () => page.selectOption('[data-testid="depth-init"]', 'he_normal'));
    expect(await colours(page, 'depth-chart')).toBeGreaterThan(4);

    // 9. Symmetry: zero init keeps the hidden neurons identical; random does not.
    expect(await page.getAttribute('[data-testid="symmetry-output"]', 'data-identical')).toBe('true');
    expect(
      await changes(page, 'symmetry-output', () =>
        page.selectOption('[data-testid="symmetry-init"]', 'glorot_uniform'),
      ),
    ).toContain('different');
    expect(await page.getAttribute('[data-testid="symmetry-output"]', 'data-identical')).toBe('false');

    // 10. Gradient checking: passes at ε = 1e-6, fails at ε = 0.1.
    expect(await page.getAttribute('[data-testid="gradcheck-verdict"]', 'data-passed')).toBe('true');
    expect(await changes(page, 'gradcheck-verdict', () => setRange(page, 'gradcheck-epsilon', -1))).toContain('failed');
    expect(await colours(page, 'gradcheck-chart')).toBeGreaterThan(4);

    await page.screenshot({ path: '/tmp/tour-desktop.png', fullPage: true });
    console.log(`tour: control → output latencies: ${latencies.join(', ')}`);
    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('lays out on a 390 px phone without sideways scrolling', async () => {
    const { page, errors } = await open({ width: 390, height: 844 });
    const widths = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      view: window.innerWidth,
    }));
    expect(widths.scroll).toBeLessThanOrEqual(widths.view);
    await page.screenshot({ path: '/tmp/tour-phone.png', fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
