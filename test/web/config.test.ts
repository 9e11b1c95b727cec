// The URL form of the playground configuration: a link gives back exactly the configuration it was made from.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, fromQuery, type PlaygroundConfig, parseLayers, toQuery } from '../../web/src/config.js';

const custom: PlaygroundConfig = {
  dataset: 'spiral',
  noise: 0.25,
  trainRatio: 0.7,
  seed: 12345,
  points: 600,
  csv: '',
  features: ['x1', 'x1sq', 'x2sq', 'x1x2', 'sinx2'],
  hidden: [8, 8, 3],
  activation: 'relu',
  output: 'softmax_cce',
  init: 'he_normal',
  optimizer: 'momentum',
  lr: 0.0075,
  batchSize: 17,
  momentum: 0.85,
  l2: 0.001,
  l1: 0,
  standardize: false,
  x2Scale: 50,
  x2Offset: -20,
  identity: true,
  zeroInit: true,
  steps: 250,
};

describe('configuration in the URL', () => {
  it('round-trips every field of a non-default configuration', () => {
    const { config, ignored } = fromQuery(`?${toQuery(custom)}`);
    expect(ignored).toEqual([]);
    expect(config).toEqual(custom);
  });

  it('round-trips L1, every single feature and the multi-Gaussian regression', () => {
    const l1 = { ...custom, l2: 0, l1: 0.003, dataset: 'multigauss' as const, output: 'linear_mse' as const };
    expect(fromQuery(toQuery(l1))).toEqual({ config: l1, ignored: [] });
    for (const f of ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const) {
      expect(fromQuery(toQuery({ ...DEFAULT_CONFIG, features: [f] })).config.features).toEqual([f]);
    }
    expect(toQuery({ ...DEFAULT_CONFIG, features: ['x1', 'x2', 'sinx1'] })).toContain('features=x1-x2-sinx1&');
  });

  it('puts the features in one order, and refuses none or an unknown one', () => {
    expect(fromQuery('features=sinx2-x1-x1').config.features).toEqual(['x1', 'sinx2']);
    for (const bad of ['features=', 'features=x3', 'features=x1-cosx1']) {
      const { config, ignored } = fromQuery(bad);
      expect(ignored).toEqual(['features']);
      expect(config.features).toEqual(['x1', 'x2']);
    }
  });

  it("reads TensorFlow Playground's feature and regularisation keys", () => {
    const tf = fromQuery(
      'x=false&y=true&xSquared=true&xTimesY=true&sinX=false&regularization=L1&regularizationRate=0.003',
    );
    expect(tf.ignored).toEqual([]);
    expect(tf.config.features).toEqual(['x2', 'x1sq', 'x1x2']);
    expect([tf.config.l1, tf.config.l2]).toEqual([0.003, 0]);
    expect(fromQuery('sinY=true').config.features).toEqual(['x1', 'x2', 'sinx2']);
    expect(fromQuery('regularization=L2&regularizationRate=0.01').config).toMatchObject({ l1: 0, l2: 0.01 });
    expect(fromQuery('regularization=L3&regularizationRate=0.01').ignored).toEqual(['regularization']);
    expect(fromQuery('x=maybe').ignored).toEqual(['x']);
    expect(fromQuery('x=false&y=false').ignored.sort()).toEqual(['x', 'y']);
  });

  it('takes one of L1 and L2: a link with both keeps L2', () => {
    const { config, ignored } = fromQuery('l1=0.01&l2=0.002');
    expect(ignored).toEqual(['l1']);
    expect([config.l1, config.l2]).toEqual([0, 0.002]);
  });

  it('round-trips the defaults and a network without hidden layers', () => {
    expect(fromQuery(toQuery(DEFAULT_CONFIG)).config).toEqual(DEFAULT_CONFIG);
    const linear = { ...DEFAULT_CONFIG, hidden: [] };
    expect(fromQuery(toQuery(linear)).config.hidden).toEqual([]);
  });

  it('keeps a CSV data set in the link', () => {
    const withCsv = { ...DEFAULT_CONFIG, dataset: 'csv' as const, csv: '1.5_2_0*-3_4.25_1*0_0_1*2_2_0' };
    const back = fromQuery(toQuery(withCsv)).config;
    expect(back.dataset).toBe('csv');
    expect(back.csv).toBe(withCsv.csv);
  });

  it('keeps the defaults for fields it cannot read, and names them', () => {
    const { config, ignored } = fromQuery('data=moons&lr=-1&layers=4-99&act=tanh&batch=2.5&seed=7');
    expect(ignored.sort()).toEqual(['batch', 'data', 'layers', 'lr']);
    expect(config).toEqual({ ...DEFAULT_CONFIG, seed: 7 });
  });

  it('forces the MSE output on the regression surface and drops a csv field on generated data', () => {
    expect(fromQuery('data=surface&out=sigmoid_bce').config.output).toBe('linear_mse');
    expect(fromQuery('data=multigauss&out=softmax_cce').config.output).toBe('linear_mse');
    expect(fromQuery('data=xor&csv=1_2_0').config.csv).toBe('');
    expect(fromQuery('data=csv').config.dataset).toBe(DEFAULT_CONFIG.dataset);
  });

  it('parses hidden layer sizes within the limits', () => {
    expect(parseLayers('4-8-8')).toEqual([4, 8, 8]);
    expect(parseLayers('4,8,8')).toEqual([4, 8, 8]); // TensorFlow Playground's form
    expect(parseLayers('')).toEqual([]);
    expect(parseLayers('0')).toBeNull();
    expect(parseLayers('1-1-1-1-1-1-1')).toBeNull();
    expect(parseLayers('4-x')).toBeNull();
  });
});
