// The gradient-check panel: one row per parameter tensor with its relative error, and the verdict.
import type { GradCheckReport } from '../../../src/index.js';

/** Replaces the panel's content with the report of a check run at training step `step`. */
export function showGradCheck(container: HTMLElement, report: GradCheckReport, step: number): void {
  const verdict = document.createElement('p');
  verdict.className = report.passed ? 'pass' : 'fail';
  verdict.dataset.testid = 'gradcheck-verdict';
  verdict.textContent = `${report.passed ? 'Passed' : 'Failed'} at step ${step}: largest relative error ${report.maxRelativeError.toExponential(2)} (threshold ${report.threshold.toExponential(0)}, ${report.examples} examples)`;
  const table = document.createElement('table');
  table.className = 'gradcheck';
  const head = table.createTHead().insertRow();
  for (const title of ['Parameter', 'Shape', 'Checked', 'Relative error']) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = title;
    head.append(th);
  }
  const body = table.createTBody();
  for (const t of report.tensors) {
    const row = body.insertRow();
    row.dataset.testid = 'gradcheck-row';
    const cells = [t.name, `[${t.shape.join(', ')}]`, String(t.checked), t.relativeError.toExponential(2)];
    cells.forEach((text, i) => {
      const cell = row.insertCell();
      cell.textContent = text;
      if (i >= 2) cell.className = 'num';
    });
    row.cells[3]!.dataset.value = String(t.relativeError);
  }
  const note = document.createElement('p');
  note.className = 'note';
  note.textContent = 'ReLU-like activations have kinks; a point exactly at a kink can give a larger error without a bug.';
  container.replaceChildren(verdict, table, note);
}
