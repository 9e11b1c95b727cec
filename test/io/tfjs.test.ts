// toTfjs / fromTfjs: every activation, task and scaler predicts the same in TensorFlow.js, models
// written by TensorFlow.js itself come in, and anything but an MLP is refused by name.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  Activation,
  Dense,
  Dropout,
  FormatError,
  fromTfjs,
  loadTfjs,
  Sequential,
  saveTfjs,
  Tensor,
  toTfjs,
} from '../../src/node.js';
import {
  expectSamePredictions,
  FEATURES,
  features,
  HIDDEN_ACTIVATIONS,
  SCALERS,
  TASKS_UNDER_TEST,
  testModel,
} from './onnx-helpers.js';
import { loadWithTfjs, predictWithTfjs, saveWithTfjs } from './tfjs-helpers.js';

const x = features(200, 7);
const scratch = (): string => mkdtempSync(join(tmpdir(), 'backprop-tfjs-'));

describe('toTfjs in TensorFlow.js (tf.loadLayersModel)', () => {
  for (const task of TASKS_UNDER_TEST) {
    for (const activation of HIDDEN_ACTIVATIONS) {
      it(`${task}, hidden ${activation}, every scaler: same predictions (relative 1e-5)`, async () => {
        for (const scaler of SCALERS) {
          const model = testModel(activation, task, scaler);
          const dir = join(scratch(), 'model');
          await saveTfjs(model, dir);
          expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
          const loaded = await loadWithTfjs(dir);
          expectSamePredictions(
            predictWithTfjs(loaded, x.data as Float32Array, [...x.shape]),
            model.predict(x).data,
            `${scaler} scaler`,
          );
          // Read back by backprop: the same network and scaler, so the same predictions.
          const back = await loadTfjs(dir);
          expect(back.scaler?.toJSON() ?? null).toEqual(model.scaler?.toJSON() ?? null);
          expect(back.labels).toEqual(model.labels);
          expect(back.task).toBe(task);
          expect(back.predict(x).data, `${scaler} scaler, round trip`).toEqual(model.predict(x).data);
          loaded.dispose();
        }
      });
    }
  }

  it('stand-alone activations (LeakyReLU with its slope), dropout, and a Dense without scaler keep their weights exactly', async () => {
    const model = new Sequential([
      new Dense(FEATURES, 6, { activation: 'linear' }),
      new Activation('leaky_relu', { slope: 0.2 }),
      new Dropout(0.25),
      new Dense(6, 4, { activation: 'tanh' }),
      new Activation('sigmoid'),
      new Dense(4, 2, { activation: 'softmax' }),
    ]);
    const { modelJson } = toTfjs(model);
    const topology = modelJson.modelTopology.config as {
      layers: { class_name: string; config: Record<string, unknown> }[];
    };
    expect(topology.layers.map((l) => l.class_name)).toEqual([
      'Dense',
      'LeakyReLU',
      'Dropout',
      'Dense',
      'Activation',
      'Dense',
    ]);
    expect(topology.layers[1]!.config.alpha).toBe(0.2);
    const dir = join(scratch(), 'm');
    await saveTfjs(model, dir);
    const loaded = await loadWithTfjs(dir);
    expectSamePredictions(predictWithTfjs(loaded, x.data as Float32Array, [...x.shape]), model.predict(x).data);
    const back = await loadTfjs(join(dir, 'model.json'));
    expect(back.network.config().map((l) => l.type)).toEqual(['dense', 'dropout', 'dense', 'activation', 'dense']);
    expect(back.network.config()[0]).toMatchObject({ activation: 'leaky_relu', slope: 0.2 });
    expect(back.predict(x).data).toEqual(model.predict(x).data);
    expect(back.parameters()[0]!.value.data).toEqual(model.parameters()[0]!.value.data);
  });
});

describe('fromTfjs on models written by TensorFlow.js', () => {
  it('Flatten, Dense relu, Dense + LeakyReLU, Dropout, Dense softmax: tfjs predictions', async () => {
    const net = tf.sequential();
    net.add(tf.layers.flatten({ inputShape: [2, 3] }));
    net.add(
      tf.layers.dense({
        units: 8,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotNormal({ seed: 1 }),
        biasInitializer: tf.initializers.randomNormal({ seed: 2 }),
      }),
    );
    net.add(tf.layers.dense({ units: 5, kernelInitializer: tf.initializers.glorotNormal({ seed: 3 }) }));
    net.add(tf.layers.leakyReLU({}));
    net.add(tf.layers.dropout({ rate: 0.3 }));
    net.add(
      tf.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotNormal({ seed: 4 }),
        biasInitializer: tf.initializers.randomNormal({ seed: 5 }),
      }),
    );
    const dir = scratch();
    await saveWithTfjs(net, dir);
    const x6 = new Tensor(features(12, 9).data.slice(0, 60), [10, 6]);
    const expected = predictWithTfjs(net, x6.data as Float32Array, [10, 2, 3]);
    const model = await loadTfjs(dir);
    expect(model.network.inputFeatures).toBe(6);
    expect(model.task).toBe('classification');
    // Keras's LeakyReLU default slope is 0.3.
    expect(model.network.config()[1]).toMatchObject({ type: 'dense', activation: 'leaky_relu', slope: 0.3 });
    expectSamePredictions(model.predict(x6).data, expected);
  });

  it('BatchNormalization before the first Dense layer (scale and offset set) is taken into the scaler or the first layer', async () => {
    for (const gamma of [
      [1.5, 0.5, 2, 1],
      [1.5, -0.5, 2, 1],
    ]) {
      const net = tf.sequential();
      net.add(tf.layers.batchNormalization({ inputShape: [4], epsilon: 1e-3 }));
      net.add(
        tf.layers.dense({
          units: 3,
          activation: 'sigmoid',
          kernelInitializer: tf.initializers.glorotNormal({ seed: 6 }),
        }),
      );
      net.layers[0]!.setWeights([
        tf.tensor(gamma),
        tf.tensor([0.1, -0.2, 0, 0.3]),
        tf.tensor([10, -3, 0.5, 40]),
        tf.tensor([9, 0.04, 1, 225]),
      ]);
      const dir = scratch();
      await saveWithTfjs(net, dir);
      const x4 = new Tensor(features(10, 4).data.slice(0, 40), [10, 4]);
      const model = await loadTfjs(dir);
      expect(model.scaler === null, `gamma ${gamma}`).toBe(gamma.some((g) => g < 0));
      expectSamePredictions(
        model.predict(x4).data,
        predictWithTfjs(net, x4.data as Float32Array, [10, 4]),
        `gamma ${gamma}`,
      );
    }
  });

  it('refuses a layer that is not part of an MLP, naming it, and a manifest that does not fit the weights', async () => {
    const net = tf.sequential();
    net.add(tf.layers.dense({ inputShape: [4], units: 3 }));
    net.add(tf.layers.repeatVector({ n: 2 }));
    const dir = scratch();
    await saveWithTfjs(net, dir);
    await expect(loadTfjs(dir)).rejects.toThrow(FormatError);
    await expect(loadTfjs(dir)).rejects.toThrow(
      /model\.json: layer 1 '[^']+' \(RepeatVector\) is not supported: not an MLP layer\. backprop imports Sequential models of Dense layers/,
    );
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(() => fromTfjs(json, new Uint8Array(4), { source: 'short' })).toThrow(
      /^short: the weights manifest needs \d+ bytes, the weight files hold 4/,
    );
    expect(() =>
      fromTfjs({ modelTopology: { class_name: 'Model', config: { layers: [] } } }, new Uint8Array(0), {
        source: 'functional',
      }),
    ).toThrow(/^functional: the model is a Model, not a Sequential model/);
  });
});
