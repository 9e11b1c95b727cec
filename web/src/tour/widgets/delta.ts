// Section 4: the δ recursion one layer at a time, each step's dW beside the library's gradient.
import type { ActivationName } from '../../../../src/index.js';
import { type DeltaStep, deltaRecursion, largestDifference } from '../calc/backprop.js';
import { button, choice, el, fmt, vec } from '../dom.js';

function describe(s: DeltaStep, L: number, act: string): string {
  const l = s.layer;
  const rule = l === L ? `δ^[${l}] = a^[${l}] − y` : `δ^[${l}] = (W^[${l + 1}]ᵀ δ^[${l + 1}]) ⊙ ${act}′(z^[${l}])`;
  return `${rule} = ${vec(s.delta, 4)};  dW^[${l}] = δ^[${l}] a^[${l - 1}]ᵀ = ${s.weightGrad.map((r) => vec(r, 4)).join(' ')}`;
}

export function mountDelta(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const list = el('ol', { class: 'steps', testid: 'delta-output' });
  const verdict = el('p', { class: 'readout', testid: 'delta-diff' });
  let steps: DeltaStep[] = [];
  let shown = 0;
  const render = (): void => {
    const visible = steps.slice(0, shown);
    list.replaceChildren(...visible.map((s) => el('li', { text: describe(s, steps.length, act.value) })));
    const diff = largestDifference(visible);
    verdict.dataset.value = String(diff);
    verdict.textContent =
      shown === 0
        ? 'Press “next” to take the first step, from the output layer.'
        : `${shown} of ${steps.length} layers; largest |recursion − library’s gradient| = ${fmt(diff, 2)}`;
    next.disabled = shown >= steps.length;
  };
  const restart = (): void => {
    steps = deltaRecursion(act.value as ActivationName, 3);
    shown = 0;
    render();
  };
  const act = choice(
    controls,
    {
      label: 'hidden g',
      options: [
        ['tanh', 'tanh'],
        ['sigmoid', 'sigmoid'],
        ['relu', 'ReLU'],
      ],
      value: 'tanh',
      testid: 'delta-activation',
    },
    restart,
  );
  const next = button(controls, 'Next layer', 'delta-next', () => {
    shown = Math.min(steps.length, shown + 1);
    render();
  });
  button(controls, 'Start again', 'delta-restart', restart);
  root.append(
    controls,
    el('p', {
      class: 'note',
      text: 'A 2-3-2-1 network (sigmoid output, binary cross-entropy) on x = (0.8, −0.4), y = 1.',
    }),
    list,
    verdict,
  );
  restart();
}
