import { loadImageFolder } from '/work/wt/data/src/node.js';
for (const workers of [0, 2, 0, 2]) {
  const t = performance.now();
  const d = await loadImageFolder('/tmp/fashion-folder', {}, { workers });
  console.log(`workers ${workers}: ${d.train.length + (d.test?.length ?? 0)} bytes in ${((performance.now() - t) / 1000).toFixed(2)} s`);
}
