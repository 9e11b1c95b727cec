// The HTML report as text: its sections, escaping, self-containment and the atomic write.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/core/errors.js';
import { formatNumber, renderReport, writeReport } from '../../src/report/html.js';
import { countRole } from './history-fixture.js';
import { reportInput } from './report-input-fixture.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

describe('renderReport', () => {
  it('holds every section, charts inline and images as data URLs', async () => {
    const html = await renderReport(reportInput());
    for (const id of ['config', 'model', 'metrics', 'curves', 'classification', 'misclassified']) {
      expect(html).toContain(`<section id="${id}">`);
    }
    expect(html.match(/<svg /g)).toHaveLength(5); // loss, accuracy, learning rate, confusion matrix, precision/recall
    expect(countRole(html, 'rect mark')).toBe(9);
    expect(countRole(html, 'bar')).toBe(6);
    expect(html.match(/<img src="data:image\/png;base64,/g)).toHaveLength(4);
    expect(html).toContain('<td class="num">0.5556</td>'); // test accuracy 5/9, 4 decimals
    expect(html).toContain('5 of 9 correct');
    expect(html).toContain('<td class="num">835</td>');
  });

  it('is self-contained: no script, no external URL, unique ids', async () => {
    const html = await renderReport(reportInput());
    expect(html).not.toMatch(/<script|<link |@import|@font-face/i);
    const urls = html.match(/(?:src|href)="(?!data:|#)[^"]*"|url\((?!#)[^)]*\)/g) ?? [];
    expect(urls).toEqual([]);
    expect(html.replace(/http:\/\/www\.w3\.org\/[0-9]{4}\/(svg|xlink)/g, '')).not.toMatch(/https?:/);
    const ids = [...html.matchAll(/\bid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    for (const [, ref] of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref);
  });

  it('escapes text from the input', async () => {
    const html = await renderReport(reportInput({ config: { note: '<b>"x" & y</b>' } }));
    expect(html).toContain('<title>Pets &lt;3-class&gt; run</title>');
    expect(html).toContain('&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;');
    expect(html).not.toContain('<b>"x"');
  });

  it('leaves out classification and images for a regression run', async () => {
    const html = await renderReport(
      reportInput({
        history: [{ epoch: 1, loss: 2, seconds: 1, lr: 0.1, mse: 2, val_mse: 3 }],
        metrics: { test: { mse: 3 } },
        classNames: undefined,
        evaluation: undefined,
        misclassified: undefined,
      }),
    );
    expect(html).not.toContain('id="classification"');
    expect(html).not.toContain('id="misclassified"');
    expect(html).not.toContain('id="regression"');
    expect(html.match(/<svg /g)).toHaveLength(3); // loss, mse, learning rate
  });

  it('plots predicted against actual values and the residuals for regression', async () => {
    const actual = [1, 2, 3, 4],
      predicted = [1.5, 2, 2.5, 4.5];
    const html = await renderReport(
      reportInput({
        history: [{ epoch: 1, loss: 2, seconds: 1, lr: 0.1, mse: 2 }],
        metrics: { test: { mse: 3 } },
        classNames: undefined,
        evaluation: undefined,
        misclassified: undefined,
        regression: { actual, predicted, target: 'price', split: 'test' },
      }),
    );
    const section = html.slice(html.indexOf('<section id="regression">'));
    expect(section).toContain('Predicted vs actual price');
    expect(section).toContain('Residuals of price');
    expect(countRole(section, 'point')).toBe(8); // four points in each chart
    // Residual actual − predicted of the third row: 3 − 2.5.
    expect(section).toContain('predicted price: 2.5; actual − predicted: 0.5');
    expect(section).toContain('test rows: 4.');
  });

  it('adds a learning-rate curve and, without validation, says how to get one', async () => {
    const history = [1, 2, 3].map((epoch) => ({ epoch, loss: 1 / epoch, seconds: 1, lr: 0.1 / 10 ** epoch }));
    const html = await renderReport(reportInput({ history, metrics: {} }));
    expect(html).toContain('Learning rate');
    expect(html).toContain('id="no-validation"');
    expect(html).toMatch(/No validation split.*--validation-split 0\.1/);
    expect(await renderReport(reportInput())).not.toContain('id="no-validation"'); // the fixture has val_ curves
  });

  it('formats numbers alike: four decimals, exponents for the very large and small', () => {
    expect([1, 0.90909, 0, 12.3456789, -0.5].map(formatNumber)).toEqual([
      '1.0000',
      '0.9091',
      '0.0000',
      '12.3457',
      '-0.5000',
    ]);
    expect([1234567, 0.00001234, NaN, Infinity].map(formatNumber)).toEqual(['1.235e+6', '1.234e-5', '—', 'Infinity']);
  });

  it('shows at most 36 images and says how many there were', async () => {
    const one = reportInput().misclassified![0]!;
    const html = await renderReport(reportInput({ misclassified: Array.from({ length: 40 }, () => one) }));
    expect(html.match(/<img /g)).toHaveLength(36);
    expect(html).toContain('first 36 of 40');
  });

  it('names the sample when a label is not a class', async () => {
    await expect(renderReport(reportInput({ evaluation: { trueLabels: [0, 5], predicted: [0, 1] } }))).rejects.toThrow(
      DataError,
    );
  });
});

describe('writeReport', () => {
  it('writes dir/report.html, creating dir, with no temporary file left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'backprop-report-'));
    dirs.push(dir);
    const path = await writeReport(join(dir, 'run'), reportInput());
    expect(path).toBe(join(dir, 'run', 'report.html'));
    expect(await readdir(join(dir, 'run'))).toEqual(['report.html']);
    expect(await readFile(path, 'utf8')).toBe(await renderReport(reportInput()));
  });
});
