// The step mode: one batch shown phase by phase — forward layer by layer, the loss, δ backwards by
// the recursion, the gradients on the edges, the update — with the shapes (S × m) of every matrix.
// Every number of a neuron or an edge is in its cell, and in the cell's tooltip with its name.
import type { WalkLayer, Walkthrough } from '../walkthrough.js';

const fmt = (v: number): string => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2));

/** The phases of a walk-through of L layers: L forward, the loss, L backward, gradients, update. */
export function phaseCount(walk: Walkthrough): number {
  return 2 * walk.layers.length + 3;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text = '', className = ''): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (text) el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** A table of one value per neuron of a layer: rows are the named vectors. */
function neuronTable(layer: WalkLayer, l: number, vectors: [string, number[]][]): HTMLTableElement {
  const table = element('table', '', 'walk');
  const head = table.createTHead().insertRow();
  head.append(element('th'), ...Array.from({ length: layer.units }, (_, u) => element('th', `neuron ${u + 1}`)));
  const body = table.createTBody();
  for (const [name, values] of vectors) {
    const row = body.insertRow();
    row.append(element('th', name));
    values.forEach((v, u) => {
      const cell = row.insertCell();
      cell.textContent = fmt(v);
      cell.className = 'num';
      cell.title = `${name.replace(/\(.*\)/, `(${l + 1})`)} of neuron ${u + 1} in layer ${l + 1}: ${v}`;
      cell.dataset.testid = `walk-${name.split('⁽')[0]}-${l + 1}-${u + 1}`;
    });
  }
  return table;
}

/** A matrix [units][inputs] as a table whose cells are the layer's edges. */
function edgeTable(
  layer: WalkLayer,
  l: number,
  name: string,
  values: number[][],
  explain: (u: number, j: number) => string,
): HTMLTableElement {
  const table = element('table', '', 'walk');
  const head = table.createTHead().insertRow();
  head.append(
    element('th', name),
    ...Array.from({ length: layer.inputs }, (_, j) => element('th', l === 0 ? `x${j + 1}` : `a${j + 1}`)),
  );
  const body = table.createTBody();
  const scale = Math.max(1e-12, ...values.flat().map(Math.abs));
  values.forEach((r, u) => {
    const row = body.insertRow();
    row.append(element('th', `neuron ${u + 1}`));
    r.forEach((v, j) => {
      const cell = row.insertCell();
      cell.textContent = fmt(v);
      cell.className = 'num';
      // Blue for positive, orange for negative, as the network view draws weights.
      const alpha = (0.6 * Math.abs(v)) / scale;
      cell.style.background = v >= 0 ? `rgba(36, 99, 201, ${alpha})` : `rgba(240, 140, 30, ${alpha})`;
      cell.title = explain(u, j);
    });
  });
  return table;
}

const shape = (rows: number | string, cols: number | string): string => `${rows} × ${cols}`;

/** Renders phase `phase` (0-based) of `walk` into `container`. */
export function showWalkthrough(container: HTMLElement, walk: Walkthrough, phase: number): void {
  const L = walk.layers.length;
  const parts: HTMLElement[] = [];
  const title = element('h3');
  const note = element('p', '', 'note');
  title.dataset.testid = 'walk-phase-title';
  if (phase < L) {
    const l = phase,
      layer = walk.layers[l]!;
    title.textContent = `Forward, layer ${l + 1} of ${L}: z⁽${l + 1}⁾ = W⁽${l + 1}⁾ a⁽${l}⁾ + b⁽${l + 1}⁾, a⁽${l + 1}⁾ = g(z⁽${l + 1}⁾) with g = ${layer.activation}`;
    note.textContent = `Shapes over the batch: W ${shape(layer.units, layer.inputs)}, A⁽${l}⁾ ${shape(layer.inputs, walk.m)}, Z⁽${l + 1}⁾ and A⁽${l + 1}⁾ ${shape(layer.units, walk.m)} (m = ${walk.m}); b is broadcast over the m columns. The values are example 1 of the batch${l === 0 ? `, x = (${walk.x.map(fmt).join(', ')})` : ''}.`;
    parts.push(
      neuronTable(layer, l, [
        [`z⁽${l + 1}⁾`, layer.z],
        [`a⁽${l + 1}⁾`, layer.a],
      ]),
    );
    parts.push(
      edgeTable(layer, l, 'W', layer.weight, (u, j) => `W⁽${l + 1}⁾[${u + 1}, ${j + 1}] = ${layer.weight[u]![j]}`),
    );
  } else if (phase === L) {
    const out = walk.layers[L - 1]!;
    title.textContent = `The loss: J = ${walk.lossValue.toPrecision(6)} (${walk.loss}, the mean over the ${walk.m} examples)`;
    note.textContent = `Example 1: ŷ = (${out.a.map(fmt).join(', ')}), y = (${walk.y.map(fmt).join(', ')}).`;
  } else if (phase <= 2 * L) {
    const l = 2 * L - phase,
      layer = walk.layers[l]!;
    const output = l === L - 1;
    title.textContent = output
      ? `Backward, the output layer: δ⁽${l + 1}⁾ = ${walk.fused ? '(ŷ − y) / m (sigmoid or softmax with cross-entropy)' : `∂J/∂a⁽${l + 1}⁾ ⊙ g′(z⁽${l + 1}⁾)`}`
      : `Backward, layer ${l + 1}: δ⁽${l + 1}⁾ = (W⁽${l + 2}⁾ᵀ δ⁽${l + 2}⁾) ⊙ g′(z⁽${l + 1}⁾)`;
    note.textContent = `δ⁽${l + 1}⁾ = ∂J/∂z⁽${l + 1}⁾ has the shape of Z⁽${l + 1}⁾: ${shape(layer.units, walk.m)}; shown for example 1 (it carries the loss's 1/m).`;
    parts.push(
      neuronTable(layer, l, [
        [`z⁽${l + 1}⁾`, layer.z],
        [`δ⁽${l + 1}⁾`, layer.delta],
      ]),
    );
  } else if (phase === 2 * L + 1) {
    title.textContent = 'Gradients on the edges: ∂J/∂W⁽ˡ⁾ = δ⁽ˡ⁾ A⁽ˡ⁻¹⁾ᵀ, ∂J/∂b⁽ˡ⁾ = Σ over the batch of δ⁽ˡ⁾';
    note.textContent = 'Summed over the m examples of the batch; each matrix has the shape of its W.';
    walk.layers.forEach((layer, l) => {
      parts.push(element('h4', `Layer ${l + 1}: ∂J/∂W ${shape(layer.units, layer.inputs)}`));
      parts.push(
        edgeTable(
          layer,
          l,
          '∂J/∂W',
          layer.weightGrad,
          (u, j) => `∂J/∂W⁽${l + 1}⁾[${u + 1}, ${j + 1}] = ${layer.weightGrad[u]![j]}`,
        ),
      );
    });
  } else {
    title.textContent = `The update (${walk.optimizer}, learning rate ${walk.learningRate}): ΔW = W after − W before`;
    note.textContent =
      walk.optimizer === 'sgd'
        ? 'Plain gradient descent: ΔW = −α ∂J/∂W.'
        : 'Momentum and Adam scale and smooth the step, so ΔW is not simply −α ∂J/∂W.';
    walk.layers.forEach((layer, l) => {
      parts.push(element('h4', `Layer ${l + 1}: ΔW ${shape(layer.units, layer.inputs)}`));
      parts.push(
        edgeTable(
          layer,
          l,
          'ΔW',
          layer.weightUpdate,
          (u, j) =>
            `ΔW⁽${l + 1}⁾[${u + 1}, ${j + 1}] = ${layer.weightUpdate[u]![j]} (∂J/∂W = ${layer.weightGrad[u]![j]})`,
        ),
      );
    });
  }
  const counter = element('p', `Phase ${phase + 1} of ${phaseCount(walk)} · batch at step ${walk.step}`, 'note');
  counter.dataset.testid = 'walk-counter';
  container.replaceChildren(counter, title, note, ...parts);
}
