// The gradient-check panel: the verdict, one row per parameter tensor, and a few entries with
// back-propagation's value beside the central difference's.
import type { GradCheckReport } from '../../../src/index.js';

const sci = (v: number): string => v.toExponential(2);

function table(headers: string[], rows: string[][], numericFrom: number, testid?: string): HTMLTableElement {
  const t = document.createElement('table');
  t.className = 'gradcheck';
  const head = t.createTHead().insertRow();
  for (const title of headers) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = t.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    if (testid) row.dataset.testid = testid;
    cells.forEach((text, i) => {
      const cell = row.insertCell();
      cell.textContent = text;
      if (i >= numericFrom) cell.className = 'num';
    });
  }
  return t;
}

/** Replaces the panel's content with the report of a check run at training step `step`. */
export function showGradCheck(container: HTMLElement, report: GradCheckReport, step: number, plantBug: boolean): void {
  const verdict = document.createElement('p');
  verdict.className = report.passed ? 'pass' : 'fail';
  verdict.dataset.testid = 'gradcheck-verdict';
  const failing = report.tensors.filter((t) => !t.passed).map((t) => t.name);
  verdict.textContent =
    `${report.passed ? 'Passed' : 'Failed'} at step ${step}${plantBug ? ' (with the planted bug)' : ''}: ` +
    (report.passed
      ? `every tensor within ‖g − ĝ‖ ≤ ${sci(report.atol)} + ${sci(report.threshold)}·(‖g‖ + ‖ĝ‖)`
      : `${failing.join(', ')} outside ‖g − ĝ‖ ≤ ${sci(report.atol)} + ${sci(report.threshold)}·(‖g‖ + ‖ĝ‖)`) +
    ` (${report.examples} examples, float64)`;
  const tensors = table(
    ['Parameter', 'Shape', 'Checked', 'Relative error', '‖g − ĝ‖', ''],
    report.tensors.map((t) => [
      t.name,
      `[${t.shape.join(', ')}]`,
      String(t.checked),
      sci(t.relativeError),
      sci(t.absError),
      t.passed ? 'ok' : 'wrong',
    ]),
    2,
    'gradcheck-row',
  );
  tensors.querySelectorAll<HTMLTableRowElement>('tbody tr').forEach((row, i) => {
    row.cells[3]!.dataset.value = String(report.tensors[i]!.relativeError);
    row.dataset.passed = String(report.tensors[i]!.passed);
  });
  const samples = table(
    ['Entry', 'Back-propagation g', 'Central difference ĝ'],
    report.tensors.flatMap((t) =>
      t.samples.map((s) => [`${t.name}[${s.index}]`, s.analytic.toPrecision(8), s.numeric.toPrecision(8)]),
    ),
    1,
    'gradcheck-sample',
  );
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent =
    'Round-off in the central difference is about 1e-16·J/ε per entry: for tiny gradients (deep sigmoid networks) it can exceed the relative threshold, which is why the test has an absolute floor. ' +
    'A ReLU kink between θ − ε and θ + ε can also give a large error without a bug. A planted bug gives errors of the size of the gradient itself.';
  container.replaceChildren(verdict, tensors, samples, note);
}
