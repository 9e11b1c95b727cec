// Section 9: zero initialisation keeps the hidden neurons identical; random weights break the symmetry.
import type { InitName } from '../../../../src/index.js';
import { hiddenAfterTraining } from '../calc/training.js';
import { choice, coalesce, el, fmt, slider, vec } from '../dom.js';

export function mountSymmetry(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const out = el('p', { class: 'readout', testid: 'symmetry-output' });
  const rows = el('ol', { class: 'steps', testid: 'symmetry-rows' });
  const warning = el('p', { class: 'note' });
  const draw = coalesce(() => {
    const n = Number(steps.value);
    const r = hiddenAfterTraining(init.value as InitName, n, 3);
    out.dataset.identical = String(r.identical);
    out.textContent = `After ${n} steps (J = ${fmt(r.loss, 4)}): the three hidden neurons are ${r.identical ? 'identical' : 'different'}`;
    rows.replaceChildren(
      ...r.rows.map((row, u) => el('li', { text: `neuron ${u + 1}: (w₁, w₂, b) = ${vec(row, 4)}` })),
    );
    warning.textContent = r.warning ? `The library warns: ${r.warning}` : '';
  });
  const init = choice(
    controls,
    {
      label: 'init',
      options: [
        ['zeros', 'zeros'],
        ['glorot_uniform', 'Glorot uniform (random)'],
      ],
      value: 'zeros',
      testid: 'symmetry-init',
    },
    draw,
  );
  const steps = slider(
    controls,
    { label: 'steps', min: 0, max: 60, step: 5, value: 20, testid: 'symmetry-steps' },
    draw,
  );
  root.append(controls, out, rows, warning);
  draw();
}
