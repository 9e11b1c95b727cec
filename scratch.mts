import * as tf from '@tensorflow/tfjs';
const m = tf.sequential();
m.add(tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu' }));
m.add(tf.layers.leakyReLU({ alpha: 0.01 }));
m.add(tf.layers.dropout({ rate: 0.2 }));
m.add(tf.layers.dense({ units: 2, activation: 'softmax' }));
await m.save(tf.io.withSaveHandler(async (a) => { console.log(JSON.stringify({ topo: a.modelTopology, specs: a.weightSpecs, fmt: a.format, gen: a.generatedBy, conv: a.convertedBy }, null, 1)); return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }; }));
