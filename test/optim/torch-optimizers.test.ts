// One to three optimiser steps compared with PyTorch's numbers (test/fixtures/optimizers.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { learningRateAt, type Schedule, Tensor } from '../../src/index.js';
import { expectAllClose, flat } from '../helpers/allclose.js';
import { optimizerFixture as fixture, modelFromLayers } from '../helpers/torch-fixtures.js';

const schedules = JSON.parse(readFileSync(new URL('../fixtures/schedules.json', import.meta.url), 'utf8')) as {
  base_lr: number;
  cases: {
    name: string;
    schedule: Schedule['name'];
    options: Record<string, number>;
    lrs: number[];
    torch_lrs: number[];
  }[];
};

describe('optimisers match PyTorch step by step', () => {
  for (const c of fixture.cases) {
    it(`${c.name} ${JSON.stringify(c.options)}`, () => {
      const model = modelFromLayers(fixture.initial, ['tanh', 'linear'], 'float64');
      model.compile({ loss: 'mse', optimizer: { name: c.optimizer, ...c.options } });
      const x = Tensor.from(fixture.x, undefined, 'float64');
      const y = Tensor.from(fixture.y, undefined, 'float64');
      c.steps.forEach((expected, step) => {
        const loss = model.trainStep(x, y);
        expect(loss).toBeCloseTo(c.losses[step]!, 12);
        model.parameters().forEach((p, k) => {
          const e = expected[k >> 1]!;
          expectAllClose(
            p.value.data,
            k % 2 === 0 ? flat(e.weight) : e.bias,
            1e-9,
            1e-12,
            `${p.name} after step ${step + 1}`,
          );
        });
      });
    });
  }
});

describe('learning-rate schedules match PyTorch', () => {
  for (const c of schedules.cases) {
    it(c.name, () => {
      const schedule = { name: c.schedule, ...c.options } as Schedule;
      const lrs = c.lrs.map((_, epoch) => learningRateAt(schedule, schedules.base_lr, epoch));
      expectAllClose(lrs, c.lrs, 1e-12, 1e-15, 'closed form');
      expectAllClose(lrs, c.torch_lrs, 1e-12, 1e-15, 'PyTorch scheduler');
    });
  }
});
