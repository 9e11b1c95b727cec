// Section 2: a batch of m examples through a 2-3-1 network, every matrix with its shape.
import { forwardShapes, type NamedMatrix } from '../calc/forward.js';
import { coalesce, el, fmt, slider } from '../dom.js';

function table(m: NamedMatrix): HTMLElement {
  const t = el('table', { class: 'matrix' });
  for (const row of m.values) t.append(el('tr', {}, ...row.map((v) => el('td', { text: fmt(v, 2) }))));
  return el('figure', {}, el('figcaption', {}, el('b', { text: m.name }), ` ${m.rows}×${m.cols}`), t);
}

export function mountShapes(root: HTMLElement): void {
  const controls = el('div', { class: 'controls' });
  const summary = el('p', { class: 'readout', testid: 'shapes-output' });
  const mats = el('div', { class: 'matrices' });
  const draw = coalesce(() => {
    const m = Number(count.value);
    const all = forwardShapes(m, 7);
    const shape = (name: string): string => {
      const x = all.find((a) => a.name.startsWith(name))!;
      return `${x.rows}×${x.cols}`;
    };
    summary.textContent =
      `m = ${m}: Z^[1] = W^[1] A^[0] + b^[1] is (${shape('W^[1]')})(${shape('A^[0]')}) + ${shape('b^[1]')} → ${shape('Z^[1]')}; ` +
      `Z^[2] = W^[2] A^[1] + b^[2] is (${shape('W^[2]')})(${shape('A^[1]')}) + ${shape('b^[2]')} → ${shape('Z^[2]')}`;
    mats.replaceChildren(...all.map(table));
  });
  const count = slider(
    controls,
    { label: 'm (examples)', min: 1, max: 6, step: 1, value: 3, testid: 'shapes-m' },
    draw,
  );
  root.append(controls, summary, mats);
  draw();
}
