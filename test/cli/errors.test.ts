// Bad input of every kind: one clear line on stderr naming the file, row, column or value, and a
// non-zero exit code; plus --json purity, --epochs 0, --init-from and a diverging run.
import { cpSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/node.js';
import { cli, cliJson, csvFile, scratch } from './helpers.js';

const dir = scratch();
/** Two well separated classes 'a' / 'b' in two features. */
const GOOD =
  [
    'x1,x2,cls',
    ...Array.from({ length: 40 }, (_, i) => `${(i % 2) * 4 + (i % 7) / 7},${(i % 5) / 5},${i % 2 ? 'b' : 'a'}`),
  ].join('\n') + '\n';
const good = csvFile(dir, 'good.csv', GOOD);
const model = join(dir, 'model');

async function expectError(argv: string[], pattern: RegExp): Promise<string> {
  const r = await cli(...argv);
  expect(r.code, r.err).not.toBe(0);
  expect(r.err).toMatch(pattern);
  // One line, no stack trace.
  expect(r.err).not.toMatch(/\n\s+at /);
  return r.err;
}

const train = (data: string, ...more: string[]): string[] => [
  'train',
  '--data',
  data,
  '--target',
  'cls',
  '--out',
  join(dir, 'out'),
  '--epochs',
  '2',
  ...more,
];

beforeAll(async () => {
  const r = await cli(
    'train',
    '--data',
    good,
    '--target',
    'cls',
    '--layers',
    '4',
    '--lr',
    '0.05',
    '--epochs',
    '30',
    '--out',
    model,
  );
  expect(r.code, r.err).toBe(0);
});

describe('bad data files', () => {
  it('missing file', () => expectError(train(join(dir, 'nope.csv')), /cannot read data file '.*nope\.csv': ENOENT/));
  it('empty file', () => expectError(train(csvFile(dir, 'empty.csv', '')), /empty\.csv: the file is empty/));
  it('header only', () =>
    expectError(
      train(csvFile(dir, 'header.csv', 'x1,x2,cls\n')),
      /header\.csv: the file has a header but no data rows/,
    ));
  it('missing target column', () =>
    expectError(
      train(good).map((a) => (a === 'cls' ? 'label' : a)),
      /target column 'label' not found; columns are x1, x2, cls/,
    ));
  it('NaN in a feature names row and column', () =>
    expectError(
      train(csvFile(dir, 'nan.csv', 'x1,x2,cls\n1,2,a\n3,NaN,b\n')),
      /nan\.csv: row 3, column 'x2': 'NaN' is not a finite number/,
    ));
  it('Infinity in a feature', () =>
    expectError(
      train(csvFile(dir, 'inf.csv', 'x1,x2,cls\nInfinity,2,a\n3,4,b\n')),
      /inf\.csv: row 2, column 'x1': 'Infinity' is not a finite number/,
    ));
  it('text in a feature', () =>
    expectError(
      train(csvFile(dir, 'text.csv', 'x1,x2,cls\n1,2,a\n3,4,b\n5,six,a\n')),
      /text\.csv: row 4, column 'x2': 'six' is not a finite number/,
    ));
  it('ragged row', () =>
    expectError(
      train(csvFile(dir, 'ragged.csv', 'x1,x2,cls\n1,2,a\n3,b\n')),
      /ragged\.csv: row 3 has 2 fields, the header has 3/,
    ));
});

describe('bad options', () => {
  it('unknown activation', () =>
    expectError([...train(good), '--activation', 'swish'], /unknown activation 'swish'; expected one of .*relu/));
  it('unknown loss', () => expectError([...train(good), '--loss', 'hinge'], /unknown loss 'hinge'/));
  it('unknown optimizer', () =>
    expectError(
      [...train(good), '--optimizer', 'lbfgs'],
      /--optimizer: unknown value 'lbfgs'; expected one of sgd, momentum, nesterov, rmsprop, adam, adamw/,
    ));
  it('bad layer sizes', () =>
    expectError([...train(good), '--layers', '8,x'], /--layers: 'x' in '8,x' is not a positive integer/));
  it('a negative learning rate', () => expectError([...train(good), '--lr', '-1'], /--lr: must be > 0, got -1/));
  it('--test-split with an image data set (its test images are the test set)', () =>
    expectError(
      ['train', '--data', 'fashion-mnist', '--test-split', '0.2', '--out', join(dir, 'fm')],
      /--test-split does not apply to fashion-mnist: its own test images are the test set/,
    ));
  it('unknown option (commander)', () => expectError([...train(good), '--bogus'], /unknown option '--bogus'/));
  it('wasm backend not in this build, unless it is', async () => {
    const r = await cli(...train(good), '--backend', 'wasm', '--quiet');
    if (r.code !== 0) expect(r.err).toMatch(/the wasm backend is not available in this build/);
    else expect(r.out).toMatch(/backend wasm/);
  });
});

describe('broken model directories', () => {
  const data = ['--data', good];
  it('model dir missing', () =>
    expectError(['eval', '--model', join(dir, 'absent'), ...data], /model directory '.*absent' does not exist/));
  it('model.json corrupt', async () => {
    const bad = join(dir, 'corrupt-json');
    cpSync(model, bad, { recursive: true });
    writeFileSync(join(bad, 'model.json'), '{"format": "backprop-model",');
    await expectError(['summary', '--model', bad], /corrupt-json\/model\.json: not valid JSON/);
  });
  it('truncated weights.safetensors', async () => {
    const bad = join(dir, 'truncated');
    cpSync(model, bad, { recursive: true });
    const bytes = readFileSync(join(bad, 'weights.safetensors'));
    writeFileSync(join(bad, 'weights.safetensors'), bytes.subarray(0, bytes.length - 10));
    await expectError(['predict', '--model', bad, ...data], /weights\.safetensors: .*(truncated|cover)/);
  });
  it('a safetensors header that lies about sizes', async () => {
    const bad = join(dir, 'lying');
    cpSync(model, bad, { recursive: true });
    const file = join(bad, 'weights.safetensors');
    const bytes = readFileSync(file);
    const n = Number(bytes.readBigUInt64LE(0));
    const header = JSON.parse(bytes.subarray(8, 8 + n).toString('utf8')) as Record<string, { shape: number[] }>;
    header['layers.0.weight']!.shape = [4, 3];
    const text = Buffer.from(JSON.stringify(header));
    const prefix = Buffer.alloc(8);
    prefix.writeBigUInt64LE(BigInt(text.length));
    writeFileSync(file, Buffer.concat([prefix, text, bytes.subarray(8 + n)]));
    await expectError(
      ['eval', '--model', bad, ...data],
      /tensor 'layers\.0\.weight' \(F32, shape \[4, 3\]\) needs 48 bytes but its offsets .* give 32/,
    );
  });
  it('labels at eval time the model never saw', () =>
    expectError(
      ['eval', '--model', model, '--data', csvFile(dir, 'unseen.csv', 'x1,x2,cls\n1,2,a\n3,4,zebra\n')],
      /unseen\.csv: row 3, column 'cls': label 'zebra' was not seen in training \(known labels: a, b\)/,
    ));
  it('eval data without the target column', () =>
    expectError(
      ['eval', '--model', model, '--data', csvFile(dir, 'notarget.csv', 'x1,x2\n1,2\n')],
      /target column 'cls' not found/,
    ));
});

describe('behaviour', () => {
  it('--json prints exactly one JSON object on stdout, progress stays on stderr', async () => {
    const r = await cli(
      'train',
      '--data',
      good,
      '--target',
      'cls',
      '--epochs',
      '3',
      '--validation-split',
      '0.25',
      '--test-split',
      '0.2',
      '--out',
      join(dir, 'j'),
      '--json',
    );
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(r.out) as Record<string, unknown>;
    expect(Object.keys(json).sort()).toEqual([
      'backend',
      'history',
      'model',
      'peakRssMB',
      'stopReason',
      'test',
      'train',
      'validation',
    ]);
    expect(r.err).toMatch(
      /^epoch 1\/3 {2}loss \d\.\d{4} {2}accuracy \d\.\d{4} {2}val_loss \d\.\d{4} {2}val_accuracy \d\.\d{4} {2}\d+\.\d\ds$/m,
    );
    // 40 rows: 8 test, then 8 of the remaining 32 for validation, 24 to train on.
    const history = json.history as Record<string, number>[];
    expect(history).toHaveLength(3);
  });

  it('--epochs 0 writes the initialised, untrained model', async () => {
    const a = await cliJson(
      'train',
      '--data',
      good,
      '--target',
      'cls',
      '--epochs',
      '0',
      '--seed',
      '7',
      '--out',
      join(dir, 'e0'),
    );
    expect(a.code).toBe(0);
    expect(a.json.history).toEqual([]);
    const m = await loadModel(join(dir, 'e0'));
    expect(m.labels).toEqual(['a', 'b']);
    expect(m.trainingConfig.epochs).toBe(0);
    // Same seed, same initialisation: the weights equal a second untrained run's.
    await cli('train', '--data', good, '--target', 'cls', '--epochs', '0', '--seed', '7', '--out', join(dir, 'e0b'));
    const m2 = await loadModel(join(dir, 'e0b'));
    expect(Array.from(m2.parameters()[0]!.value.data)).toEqual(Array.from(m.parameters()[0]!.value.data));
  });

  it('--init-from continues from a saved model (architecture, labels, weights)', async () => {
    const before = await loadModel(model);
    const start = await cliJson('eval', '--model', model, '--data', good);
    const r = await cliJson(
      'train',
      '--data',
      good,
      '--target',
      'cls',
      '--init-from',
      model,
      '--lr',
      '0.05',
      '--epochs',
      '5',
      '--out',
      join(dir, 'cont'),
    );
    expect(r.code, r.err).toBe(0);
    const after = await loadModel(join(dir, 'cont'));
    expect(after.summary().layers.map((l) => l.outputs)).toEqual(before.summary().layers.map((l) => l.outputs));
    expect(after.labels).toEqual(['a', 'b']);
    // It started where the saved model ended: its first epoch's loss is near the saved model's loss, far below an untrained one's.
    const history = r.json.history as { loss: number }[];
    expect(history[0]!.loss).toBeLessThan((start.json.loss as number) * 1.5 + 0.05);
    expect(history[0]!.loss).toBeLessThan(0.5);
  });

  it('a NaN-diverging run exits 1 with the message and leaves the model at --out as it was', async () => {
    const lines = ['x,y'];
    for (let i = 0; i < 50; i++) lines.push(`${i * 1000},${i * 5000}`);
    const file = csvFile(dir, 'huge.csv', lines.join('\n') + '\n');
    const out = join(dir, 'diverged');
    cpSync(model, out, { recursive: true });
    const before = ['model.json', 'weights.safetensors'].map((f) => readFileSync(join(out, f)));
    const diverge = [
      'train',
      '--data',
      file,
      '--target',
      'y',
      '--task',
      'regression',
      '--optimizer',
      'sgd',
      '--lr',
      '10',
      '--epochs',
      '20',
      '--quiet',
    ];
    const r = await cli(...diverge, '--out', out);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(
      /error: the (loss became (NaN|Infinity) at epoch \d+, batch \d+|weights became non-finite during epoch \d+); training stopped and the weights of the last completed epoch were restored \(try a smaller learning rate or --standardize\)/,
    );
    expect(r.err).toMatch(/error: the model was not saved, so '.*diverged' is unchanged/);
    expect(r.out).not.toMatch(/model saved/);
    expect(['model.json', 'weights.safetensors'].map((f) => readFileSync(join(out, f)))).toEqual(before);
    // Without an earlier model, nothing is created; --json says so with "model": null.
    const fresh = join(dir, 'diverged-fresh');
    const j = await cli(...diverge, '--out', fresh, '--json');
    expect(j.code).toBe(1);
    expect((JSON.parse(j.out) as { model: unknown }).model).toBeNull();
    expect(existsSync(fresh)).toBe(false);
  });

  it('on a terminal, training draws a progress bar with a loss sparkline', async () => {
    const { captureIo } = await import('../../src/cli/io.js');
    const { run } = await import('../../src/cli/main.js');
    const io = captureIo({ tty: true });
    const code = await run(
      ['train', '--data', good, '--target', 'cls', '--epochs', '3', '--out', join(dir, 'tty')],
      io,
    );
    expect(code).toBe(0);
    expect(io.err()).toMatch(/epoch 3\/3 .* 2\/2 {2}loss \d\.\d{4}/);
    expect(io.err()).toMatch(/[▁▂▃▄▅▆▇█]{3}/);
  });

  it('--help of every command exits 0 and prints usage on stdout', async () => {
    for (const cmd of ['train', 'eval', 'predict', 'gradcheck', 'summary', 'report', 'plot']) {
      const r = await cli(cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(new RegExp(`^Usage: backprop ${cmd} \\[options\\]`));
    }
    const fetch = await cli('data', 'fetch', '--help');
    expect(fetch.out).toMatch(/Usage: backprop data fetch \[options\] <name>/);
  });
});
