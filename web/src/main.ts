// The playground page: keeps the configuration in the URL, drives the training worker and draws its snapshots.
import { DEFAULT_CONFIG, fromQuery, type PlaygroundConfig, toQuery } from './config.js';
import { type DataSet, generateData } from './datasets.js';
import { expandFeatures, FEATURE_LABELS } from './features.js';
import { encodeRows, readOwnCsv } from './own-data.js';
import { GRID_SIZE, gridInputs } from './probe.js';
import type { BackendInfo, FromWorker, Replay, ToWorker } from './protocol.js';
import { onlyLiveChanges, type Snapshot } from './session.js';
import { drawBoundary, valueScale } from './ui/boundary.js';
import { NEGATIVE_CSS, POSITIVE_CSS, SERIES_COLORS } from './ui/colors.js';
import { ConfigForm } from './ui/form.js';
import { showGradCheck } from './ui/gradcheck-panel.js';
import { drawHistograms, shareText } from './ui/histograms.js';
import { drawLineChart } from './ui/line-chart.js';
import { drawNetwork, type InputView } from './ui/network-view.js';
import { NodeZoom } from './ui/node-zoom.js';
import { phaseCount, showWalkthrough } from './ui/walkthrough-panel.js';
import type { Walkthrough } from './walkthrough.js';

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const buttons = {
  train: $<HTMLButtonElement>('train'),
  pause: $<HTMLButtonElement>('pause'),
  step: $<HTMLButtonElement>('step'),
  reset: $<HTMLButtonElement>('reset'),
  gradcheck: $<HTMLButtonElement>('gradcheck'),
};
const status = $<HTMLParagraphElement>('status');
const form = new ConfigForm();
const zoom = new NodeZoom($('network'), $('node-zoom'));

const initial = loadLink(location.search || location.hash);
let config: PlaygroundConfig = initial.config;
let data: DataSet = initial.data;
/** The input features over the probe grid, for the input nodes' thumbnails (set by restart). */
let inputView: InputView = inputsOnGrid(config, data);
let latest: Snapshot | null = null;
let latestSeq = 0;
let walk: Walkthrough | null = null;
let walkPhase = 0;
let replay: Replay | null = null;
let running = false;
let framePending = false;
/** Settings changed during the run: the link replays the current settings from step 0, a different path. */
let changedLive = false;
/** The training loss of the run before the last reset, drawn faintly to compare settings. */
let ghost: { epochs: number[]; train: number[] } | null = null;
let warnings: string[] = initial.ignored.length
  ? [`The link's ${initial.ignored.join(', ')} could not be read; defaults are used instead.`]
  : [];
if (initial.ignored.length) history.replaceState(null, '', `?${toQuery(config)}`);

/**
 * The configuration of a link and its data. A field that cannot be read, or data that cannot be
 * built from it (a truncated CSV, say), falls back to the defaults and is named in `ignored`.
 */
function loadLink(query: string): { config: PlaygroundConfig; data: DataSet; ignored: string[] } {
  const { config: c, ignored } = fromQuery(query);
  try {
    return { config: c, data: generateData(c), ignored };
  } catch {
    const fallback: PlaygroundConfig = {
      ...c,
      dataset: DEFAULT_CONFIG.dataset,
      csv: '',
      output: c.output === 'linear_mse' ? DEFAULT_CONFIG.output : c.output,
      steps: 0,
    };
    return {
      config: fallback,
      data: generateData(fallback),
      ignored: [...ignored, c.dataset === 'csv' ? 'csv data' : 'data'],
    };
  }
}

/** Each chosen feature's value on the grid the worker probes (the raw coordinates, before any rescaling). */
function inputsOnGrid(c: PlaygroundConfig, d: DataSet): InputView {
  return {
    labels: c.features.map((f) => FEATURE_LABELS[f]),
    values: expandFeatures(gridInputs(d.domain, GRID_SIZE, null).data, c.features),
  };
}

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker): void => worker.postMessage(message);

worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'snapshot':
      latest = m.snapshot;
      latestSeq = m.seq;
      running = m.running;
      replay = m.replay;
      if (!framePending) {
        framePending = true;
        requestAnimationFrame(render);
      }
      break;
    case 'backend':
      $('backend').textContent = backendText(m.backend);
      $('backend').dataset.backend = m.backend.name;
      $('backend').dataset.threads = String(m.backend.threads);
      break;
    case 'gradcheck':
      showGradCheck($('gradcheck-result'), m.report, m.step, m.plantBug);
      buttons.gradcheck.disabled = false;
      break;
    case 'walk':
      walk = m.walk;
      walkPhase = 0;
      showWalk();
      break;
    case 'warning':
      if (!warnings.includes(m.message)) warnings.push(m.message);
      showStatus();
      break;
    case 'error':
      running = false;
      warnings = [`Error: ${m.message}`];
      showStatus();
      updateButtons();
      break;
  }
});
worker.addEventListener('error', (event) => {
  warnings = [`The training worker failed: ${event.message}`];
  showStatus();
});

function backendText(b: BackendInfo): string {
  if (b.name === 'reference') return `Backend: reference (JavaScript); WebAssembly did not load: ${b.detail}`;
  const threads = b.threads === 1 ? '1 thread' : `${b.threads} threads`;
  const why = b.threads === 1 ? ' (2 where the page is served cross-origin isolated)' : '';
  return `Backend: WASM, ${b.detail}, ${threads}${why}`;
}

function showWalk(): void {
  const back = $<HTMLButtonElement>('walk-back'),
    next = $<HTMLButtonElement>('walk-next');
  if (!walk) {
    $('walk-view').replaceChildren();
    back.disabled = next.disabled = true;
    return;
  }
  showWalkthrough($('walk-view'), walk, walkPhase);
  back.disabled = walkPhase === 0;
  next.disabled = walkPhase >= phaseCount(walk) - 1;
}

function showStatus(): void {
  const replaying = replay ? [`Replaying the link's steps: ${replay.done} of ${replay.total} (Reset cancels).`] : [];
  status.textContent = [...replaying, ...warnings].join(' ');
}

/** Starts a new run of `next` (a configuration change, a reset or the page load). */
function restart(next: PlaygroundConfig): void {
  config = next;
  try {
    data = generateData(config);
  } catch (error) {
    warnings = [`Error: ${(error as Error).message}`];
    showStatus();
    return;
  }
  inputView = inputsOnGrid(config, data);
  form.write(config, data.regression);
  $('gradcheck-result').replaceChildren();
  walk = null;
  showWalk();
  $('boundary-caption').textContent = data.regression
    ? "Regression surface: the network's output under the data (circles: training, squares: test)"
    : 'Decision boundary: P(class 1) under the data (circles: training, squares: test)';
  running = false;
  changedLive = false;
  if (latest && latest.history.epochs.length > 1)
    ghost = { epochs: latest.history.epochs, train: latest.history.train };
  send({ type: 'reset', config, data });
}

function onFormChange(): void {
  const next = form.read(config);
  warnings = [...form.rejected];
  showStatus();
  history.replaceState(null, '', `?${toQuery(next)}`);
  if (latest !== null && onlyLiveChanges(config, next)) {
    // Learning rate, momentum, batch size, L1/L2 and optimiser act on the running network.
    config = { ...next, steps: 0 };
    changedLive = latest.step > 0;
    form.write(config, data.regression);
    send({ type: 'update', config });
    return;
  }
  restart(next);
}

const fmt = (v: number | null): string => (v === null || !Number.isFinite(v) ? String(v ?? '–') : v.toFixed(4));

function setReadout(id: string, value: number | null, text = fmt(value)): void {
  const el = $(id);
  el.textContent = text;
  el.dataset.value = String(value);
}

function render(): void {
  framePending = false;
  const s = latest;
  if (!s) return;
  // Acknowledge once the frame is drawn: the worker trains one chunk per frame and leaves the CPU
  // to the page in between, instead of computing snapshots that would never be shown.
  send({ type: 'ack', seq: latestSeq });
  showStatus();
  setReadout('epoch', s.epoch, String(s.epoch));
  setReadout('step-count', s.step, String(s.step));
  setReadout('batch-loss', s.batchLoss);
  setReadout('train-loss', s.trainLoss);
  setReadout('test-loss', s.testLoss);
  $('metric-name').textContent = `Test ${s.metricName}`;
  setReadout(
    'test-metric',
    s.testMetric,
    s.metricName === 'accuracy' ? `${(s.testMetric * 100).toFixed(1)} %` : s.testMetric.toFixed(3),
  );
  if (s.diverged && !warnings.some((w) => w.startsWith('The loss became'))) {
    warnings.push(
      'The loss became infinite or NaN: training stopped. Try a smaller learning rate or standardised inputs.',
    );
    showStatus();
  }
  const lowest = Math.min(...s.history.train.filter(Number.isFinite));
  if (!s.diverged && s.trainLoss > 100 * lowest && !warnings.some((w) => w.startsWith('The loss grew'))) {
    warnings.push(
      `The loss grew to ${s.trainLoss.toPrecision(3)}, over 100× its lowest (${lowest.toPrecision(3)}): the learning rate is probably too large.`,
    );
    showStatus();
  }
  drawBoundary($('boundary'), data, s.output, s.gridSize, {
    showTest: $<HTMLInputElement>('show-test').checked,
    discretize: $<HTMLInputElement>('discretize').checked,
  });
  // A snapshot of the previous run can still arrive after a reset: draw it only with its own inputs.
  if (s.layers[0]!.inputs === inputView.labels.length) {
    zoom.update(
      drawNetwork($('network'), s, data.regression ? valueScale(data) : (p) => 2 * p - 1, inputView),
      s.gridSize,
    );
  }
  renderSparsity(s);
  drawLineChart(
    $('loss-chart'),
    s.history.epochs,
    [
      ...(ghost ? [{ label: 'previous run', values: ghost.train, x: ghost.epochs, color: '#c3c8d2' }] : []),
      { label: 'training', values: s.history.train, color: SERIES_COLORS[0]! },
      { label: 'test', values: s.history.test, color: SERIES_COLORS[1]!, dashed: true },
    ],
    { xLabel: 'epoch', log: $<HTMLInputElement>('loss-log').checked },
  );
  drawLineChart(
    $('grad-chart'),
    s.history.epochs,
    s.history.gradNorms.map((values, l) => ({
      label: `layer ${l + 1}`,
      values,
      color: SERIES_COLORS[l % SERIES_COLORS.length]!,
    })),
    { log: true, xLabel: 'epoch' },
  );
  renderGradLegend(s.history.gradNorms.length);
  drawHistograms($('hist-chart'), s.activations);
  $('hist-summary').textContent = s.activations
    .map((a, l) => shareText(a) && `hidden layer ${l + 1}: ${shareText(a)}`)
    .filter(Boolean)
    .join('; ');
  renderSymmetry(s);
  const link = $<HTMLAnchorElement>('permalink');
  link.href = `?${toQuery({ ...config, steps: s.step })}`;
  link.textContent = changedLive
    ? `Link to these settings at step ${s.step} (they changed during this run, so the link's run takes another path)`
    : `Link to this setup at step ${s.step}`;
  updateButtons();
}

/** Below this |w| a weight counts as zero: what an L1 penalty produces, and L2 or none rarely does. */
const NEAR_ZERO = 0.01;

function renderSparsity(s: Snapshot): void {
  let small = 0,
    total = 0;
  for (const l of s.layers) {
    for (const w of l.weight) if (Math.abs(w) < NEAR_ZERO) small++;
    total += l.weight.length;
  }
  const el = $('sparsity');
  el.textContent = `${small} of ${total} weights are near zero (|w| < ${NEAR_ZERO})${config.l1 > 0 ? ': L1 pulls every weight towards 0 by the same amount each step' : ''}.`;
  el.dataset.value = String(small);
}

function renderGradLegend(layers: number): void {
  const legend = $('grad-legend');
  if (legend.childElementCount === layers) return;
  legend.replaceChildren(
    ...Array.from({ length: layers }, (_, l) => {
      const item = document.createElement('span');
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = SERIES_COLORS[l % SERIES_COLORS.length]!;
      item.append(swatch, l === layers - 1 ? 'output layer' : `hidden layer ${l + 1}`);
      return item;
    }),
  );
}

/**
 * What zero initialisation does with each activation. With W = 0 every hidden δ⁽ˡ⁾ = (W⁽ˡ⁺¹⁾ᵀ δ⁽ˡ⁺¹⁾) ⊙ g′(z⁽ˡ⁾)
 * starts at 0; what happens next depends on g(0) and g′(0).
 */
export function zeroInitExplanation(activation: string, identity: boolean): string {
  if (identity || activation === 'linear') {
    return 'Zero weights with identity activations: a = z = 0 in every hidden layer, so the output weights get no gradient; only the output bias learns at first, and the layers stay symmetric.';
  }
  switch (activation) {
    case 'tanh':
      return 'Zero weights with tanh: tanh(0) = 0, so every hidden output is 0 and the output weights get no gradient, while each hidden δ = Wᵀδ ⊙ g′ is 0 because W is 0. The hidden gradients are all zero, not only equal: only the output bias ever learns.';
    case 'relu':
    case 'leaky_relu':
      return `Zero weights with ${activation}: every hidden z is 0, where ${activation === 'relu' ? 'ReLU and its derivative are 0' : 'leaky ReLU is 0'}; with W = 0 each hidden δ = Wᵀδ ⊙ g′ is 0, so the hidden weights never move and only the output bias learns.`;
    case 'sigmoid':
      return 'Zero weights with sigmoid: every hidden output is σ(0) = 0.5, so the output weights all receive the same gradient; from then on each hidden neuron of a layer gets the same δ and the same update, so the neurons stay identical: the symmetry is never broken.';
    default:
      return 'Zero weights: every neuron of a layer computes the same function and receives the same update, so the symmetry is never broken.';
  }
}

function renderSymmetry(s: Snapshot): void {
  const identical = s.identical.map((same, l) => (same && s.layers[l]!.outputs > 1 ? l + 1 : 0)).filter((l) => l > 0);
  const state = identical.length
    ? `Hidden layer${identical.length > 1 ? 's' : ''} ${identical.join(', ')}: every neuron has the same weights (the symmetry is not broken).`
    : s.identical.length
      ? 'The neurons of each hidden layer differ.'
      : '';
  $('symmetry').textContent =
    config.zeroInit && s.identical.length
      ? `${state} ${zeroInitExplanation(config.activation, config.identity)}`
      : state;
  $('symmetry').dataset.identical = String(identical.length > 0);
}

function updateButtons(): void {
  buttons.train.disabled = running || replay !== null || (latest?.diverged ?? false);
  buttons.pause.disabled = !running;
  buttons.step.disabled = replay !== null || (latest?.diverged ?? false);
}

function renderLegend(): void {
  const item = (color: string, text: string): HTMLSpanElement => {
    const span = document.createElement('span');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = color;
    span.append(swatch, text);
    return span;
  };
  $('legend').replaceChildren(item(NEGATIVE_CSS, 'class 0 / low'), item(POSITIVE_CSS, 'class 1 / high'));
}

async function loadCsv(file: File): Promise<void> {
  try {
    const parsed = readOwnCsv(await file.text(), file.name);
    warnings = parsed.classes
      ? [`${file.name}: '${parsed.classes[0]}' is class 0, '${parsed.classes[1]}' is class 1.`]
      : [`${file.name}: numeric targets, trained as a regression.`];
    showStatus();
    const next: PlaygroundConfig = { ...config, dataset: 'csv', csv: encodeRows(parsed.rows), steps: 0 };
    if (parsed.regression) next.output = 'linear_mse';
    history.replaceState(null, '', `?${toQuery(next)}`);
    restart(next);
  } catch (error) {
    warnings = [(error as Error).message];
    showStatus();
  }
}

// Train and Pause swap places as the enabled button: focus follows, so the keyboard is never left on a disabled one.
buttons.train.addEventListener('click', () => {
  running = true;
  updateButtons();
  buttons.pause.focus();
  send({ type: 'play' });
});
buttons.pause.addEventListener('click', () => {
  running = false;
  updateButtons();
  buttons.train.focus();
  send({ type: 'pause' });
});
buttons.step.addEventListener('click', () => send({ type: 'step' }));
buttons.reset.addEventListener('click', () => {
  warnings = [];
  showStatus();
  restart({ ...config, steps: 0 });
});
$('walk').addEventListener('click', () => {
  running = false;
  updateButtons();
  send({ type: 'walk' });
});
$('walk-back').addEventListener('click', () => {
  walkPhase = Math.max(0, walkPhase - 1);
  showWalk();
});
$('walk-next').addEventListener('click', () => {
  if (walk) walkPhase = Math.min(phaseCount(walk) - 1, walkPhase + 1);
  showWalk();
});
buttons.gradcheck.addEventListener('click', () => {
  buttons.gradcheck.disabled = true;
  $('gradcheck-result').textContent = 'Checking…';
  send({ type: 'gradcheck', plantBug: $<HTMLInputElement>('plant-bug').checked });
});
form.form.addEventListener('change', onFormChange);
// View toggles redraw the last snapshot.
for (const id of ['loss-log', 'show-test', 'discretize']) {
  $(id).addEventListener('change', () => {
    if (!framePending && latest) {
      framePending = true;
      requestAnimationFrame(render);
    }
  });
}
form.form.addEventListener('submit', (event) => event.preventDefault());
$<HTMLInputElement>('csv-file').addEventListener('change', (event) => {
  event.stopPropagation();
  const file = (event.target as HTMLInputElement).files?.[0];
  if (file) void loadCsv(file);
});
const drop = $('drop-zone');
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  const file = event.dataTransfer?.files[0];
  if (file) void loadCsv(file);
});
window.addEventListener('resize', () => {
  if (!framePending && latest) {
    framePending = true;
    requestAnimationFrame(render);
  }
});

renderLegend();
showStatus();
restart(config);
