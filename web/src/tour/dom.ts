// Small DOM helpers shared by the tour's widgets: labelled controls, outputs, number formatting.

type Child = Node | string;

/** An element with a class, a data-testid and children. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { class?: string; testid?: string; text?: string } = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.class) node.className = props.class;
  if (props.testid) node.dataset.testid = props.testid;
  if (props.text !== undefined) node.textContent = props.text;
  node.append(...children);
  return node;
}

/**
 * Runs `draw` once per animation frame at most, however many inputs arrive meanwhile, and again
 * when the window is resized (the canvases follow their displayed width).
 */
export function coalesce(draw: () => void): () => void {
  let pending = false;
  const schedule = (): void => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      draw();
    });
  };
  window.addEventListener('resize', schedule);
  return schedule;
}

/** A labelled range input whose current value is shown beside it (`show` formats it). */
export function slider(
  parent: HTMLElement,
  o: {
    label: string;
    min: number;
    max: number;
    step: number;
    value: number;
    testid: string;
    show?: (v: number) => string;
  },
  onChange: () => void,
): HTMLInputElement {
  const input = el('input', { testid: o.testid });
  Object.assign(input, {
    type: 'range',
    min: String(o.min),
    max: String(o.max),
    step: String(o.step),
    value: String(o.value),
  });
  const shown = el('output', { text: (o.show ?? String)(o.value) });
  input.addEventListener('input', () => {
    shown.textContent = (o.show ?? String)(Number(input.value));
    onChange();
  });
  parent.append(el('label', { class: 'control' }, el('span', { text: o.label }), input, shown));
  return input;
}

/** A labelled select over [value, text] pairs. */
export function choice(
  parent: HTMLElement,
  o: { label: string; options: readonly (readonly [string, string])[]; value: string; testid: string },
  onChange: () => void,
): HTMLSelectElement {
  const select = el('select', { testid: o.testid });
  for (const [value, text] of o.options) select.append(new Option(text, value, value === o.value, value === o.value));
  select.addEventListener('change', onChange);
  parent.append(el('label', { class: 'control' }, el('span', { text: o.label }), select));
  return select;
}

/** A button. */
export function button(parent: HTMLElement, text: string, testid: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { testid, text });
  b.type = 'button';
  b.addEventListener('click', onClick);
  parent.append(b);
  return b;
}

/** A number in at most `digits` significant digits; exponents written as 6.4e8, 8.9e-16. */
export function fmt(v: number, digits = 3): string {
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) >= 1e5 || Math.abs(v) < 1e-3)) return v.toExponential(digits - 1).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

/** A vector as [a, b, c]. */
export const vec = (values: readonly number[], digits = 3): string =>
  `[${values.map((v) => fmt(v, digits)).join(', ')}]`;

/** A canvas for charts, with its test id. */
export const canvas = (testid: string, label: string): HTMLCanvasElement => {
  const c = el('canvas', { testid });
  c.setAttribute('role', 'img');
  c.setAttribute('aria-label', label);
  return c;
};

/** A legend: coloured swatches with their names. */
export function legend(items: readonly (readonly [string, string])[]): HTMLElement {
  return el(
    'p',
    { class: 'legend' },
    ...items.map(([color, name]) => {
      const swatch = el('span', { class: 'swatch' });
      swatch.style.background = color;
      return el('span', {}, swatch, name);
    }),
  );
}
