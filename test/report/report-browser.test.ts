// Opens a written report in headless Chromium: the charts render with data, the images decode,
// and a screenshot is saved. Skipped only when the system Chromium is missing.

import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/html.js';
import { hasChromium, launchChromium } from '../web/static-site.js';
import { reportInput } from './report-input-fixture.js';

let browser: Browser | undefined;
let dir: string | undefined;
afterAll(async () => {
  await browser?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('report in a browser', () => {
  it.skipIf(!hasChromium)('renders charts and images offline', async () => {
    dir = await mkdtemp(join(tmpdir(), 'backprop-report-browser-'));
    // Class names as long as Fashion-MNIST's ("T-shirt/top → Pullover") must fit their captions.
    const input = reportInput();
    input.misclassified = input.misclassified!.map((m) => ({
      ...m,
      trueLabel: `${m.trueLabel}-shirt/top`,
      predicted: `${m.predicted} ankle boot`,
    }));
    const path = await writeReport(dir, input);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });

    const requests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith('data:')) requests.push(request.url());
    });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    expect(requests).toEqual([pathToFileURL(path).href]); // nothing fetched but the page itself

    // Marks drawn with a real size, counted as the browser laid them out.
    const marks = await page.evaluate(() => {
      const sized = (selector: string) =>
        Array.from(document.querySelectorAll<SVGGraphicsElement>(selector)).filter((el) => {
          const box = el.getBBox();
          return box.width > 0 || box.height > 0;
        }).length;
      return {
        charts: document.querySelectorAll('.chart svg').length,
        lines: sized('#curves [aria-roledescription="line mark"]'),
        points: sized('#curves [aria-roledescription="point"]'),
        cells: sized('#classification [aria-roledescription="rect mark"]'),
        counts: Array.from(document.querySelectorAll('#classification [aria-roledescription="text mark"]')).map(
          (t) => t.textContent,
        ),
        bars: document.querySelectorAll('#classification [aria-roledescription="bar"]').length,
        chartWidths: Array.from(document.querySelectorAll('.chart svg')).map(
          (svg) => svg.getBoundingClientRect().width,
        ),
      };
    });
    expect(marks.charts).toBe(5);
    expect(marks.lines).toBe(5); // train and validation, for loss and accuracy; the learning rate
    expect(marks.points).toBe(15); // 3 epochs × 2 splits × 2 charts, 3 on the learning-rate curve
    expect(marks.cells).toBe(9);
    expect(marks.counts).toEqual(['2', '1', '1', '1', '1', '1', '2']); // empty cells blank
    expect(marks.bars).toBe(6);
    for (const width of marks.chartWidths) expect(width).toBeGreaterThan(100);

    const images = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('#misclassified img')).map((img) => ({
        complete: img.complete,
        naturalWidth: img.naturalWidth,
        naturalHeight: img.naturalHeight,
      })),
    );
    expect(images).toHaveLength(4);
    for (const image of images) expect(image).toEqual({ complete: true, naturalWidth: 8, naturalHeight: 6 });
    // Captions wrap instead of being cut off ("Coat → Pul…"): each shows its whole text.
    const captions = await page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLElement>('#misclassified figcaption')).map((c) => ({
        text: c.textContent,
        clipped: c.scrollWidth > c.clientWidth,
      })),
    );
    expect(captions).toHaveLength(4);
    for (const caption of captions) expect(caption.clipped, caption.text ?? '').toBe(false);

    const screenshot = join(dir, 'report.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect((await stat(screenshot)).size).toBeGreaterThan(10_000);

    // A 390 px phone: nothing wider than the screen, so the page never scrolls sideways.
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await phone.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    const layout = await phone.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      widest: Math.max(
        ...Array.from(document.querySelectorAll('main > *, section, .chart svg, table')).map(
          (el) => el.getBoundingClientRect().right,
        ),
      ),
    }));
    expect(layout.scrollWidth).toBeLessThanOrEqual(390);
    expect(layout.widest).toBeLessThanOrEqual(390);
  });
});
