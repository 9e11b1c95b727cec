// Test helpers: TensorFlow.js itself reading and writing Layers model directories, through its
// HTTP handler with a fetch that serves (or stores) local files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

tf.setBackend('cpu');

/** tf.loadLayersModel on `dir`/model.json, as a browser would from a server. */
export async function loadWithTfjs(dir: string): Promise<tf.LayersModel> {
  const fetchFunc = async (url: string | URL | Request): Promise<Response> => {
    const name = String(url).replace(/^http:\/\/models\.test\//, '');
    return new Response(readFileSync(join(dir, name)), {
      status: 200,
      headers: { 'content-type': name.endsWith('.json') ? 'application/json' : 'application/octet-stream' },
    });
  };
  return tf.loadLayersModel(tf.io.http('http://models.test/model.json', { fetchFunc }));
}

/** model.save through tfjs's HTTP handler: the model.json and weight file tfjs writes, stored in `dir`. */
export async function saveWithTfjs(model: tf.LayersModel, dir: string): Promise<void> {
  const fetchFunc = async (_url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const form = init!.body as FormData;
    for (const [name, value] of form.entries())
      writeFileSync(join(dir, name), new Uint8Array(await (value as Blob).arrayBuffer()));
    return new Response('{}', { status: 200 });
  };
  await model.save(tf.io.http('http://models.test/upload', { fetchFunc }));
}

/** predict on x [m, features] as a flat Float32Array. */
export function predictWithTfjs(model: tf.LayersModel, data: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (model.predict(tf.tensor(data, shape)) as tf.Tensor).dataSync() as Float32Array);
}
