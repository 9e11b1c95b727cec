// The configuration form: shows a PlaygroundConfig in the controls and reads one back from them.
import {
  DATASETS,
  HIDDEN_ACTIVATIONS,
  INITS,
  isRegression,
  MAX_LAYERS,
  MAX_NEURONS,
  OPTIMIZER_KINDS,
  OUTPUTS,
  type PlaygroundConfig,
} from '../config.js';
import { FEATURE_LABELS, FEATURES, type FeatureName } from '../features.js';

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no element #${id}`);
  return el as T;
}

/** The form's controls, found once. */
export class ConfigForm {
  readonly form = byId<HTMLFormElement>('controls');
  private readonly dataset = byId<HTMLSelectElement>('dataset');
  private readonly noise = byId<HTMLInputElement>('noise');
  private readonly noiseValue = byId<HTMLOutputElement>('noise-value');
  private readonly trainRatio = byId<HTMLInputElement>('train-ratio');
  private readonly trainRatioValue = byId<HTMLOutputElement>('train-ratio-value');
  private readonly seed = byId<HTMLInputElement>('seed');
  private readonly points = byId<HTMLInputElement>('points');
  private readonly layerCount = byId<HTMLInputElement>('layer-count');
  private readonly neurons = byId<HTMLDivElement>('neurons');
  private readonly activation = byId<HTMLSelectElement>('activation');
  private readonly output = byId<HTMLSelectElement>('output');
  private readonly init = byId<HTMLSelectElement>('init');
  private readonly optimizer = byId<HTMLSelectElement>('optimizer');
  private readonly lr = byId<HTMLInputElement>('lr');
  private readonly batch = byId<HTMLInputElement>('batch');
  private readonly momentum = byId<HTMLInputElement>('momentum');
  private readonly regularization = byId<HTMLSelectElement>('regularization');
  private readonly regRate = byId<HTMLInputElement>('reg-rate');
  private readonly features = byId<HTMLDivElement>('features');
  private readonly featureBoxes: Record<FeatureName, HTMLInputElement>;
  private readonly standardize = byId<HTMLInputElement>('standardize');
  private readonly x2Scale = byId<HTMLInputElement>('x2-scale');
  private readonly x2Offset = byId<HTMLInputElement>('x2-offset');
  private readonly identity = byId<HTMLInputElement>('identity');
  private readonly zeroInit = byId<HTMLInputElement>('zero-init');
  /** Why the last `read` kept earlier values: one sentence per invalid field. */
  rejected: string[] = [];
  /** Fields the form does not show: kept from the last written configuration. */
  private csv = '';
  private csvRegression = false;

  constructor() {
    // One checkbox per feature, as TensorFlow Playground's input column.
    this.featureBoxes = Object.fromEntries(
      FEATURES.map((f) => {
        const label = document.createElement('label');
        label.className = 'check';
        const box = document.createElement('input');
        Object.assign(box, { type: 'checkbox', id: `feature-${f}` });
        box.dataset.feature = f;
        box.dataset.testid = `feature-${f}`;
        label.append(box, ` ${FEATURE_LABELS[f]}`);
        this.features.append(label);
        return [f, box];
      }),
    ) as Record<FeatureName, HTMLInputElement>;
  }

  /** Shows `c` in the controls and enables only the controls that apply to it. */
  write(c: PlaygroundConfig, csvRegression = false): void {
    this.csv = c.csv;
    this.csvRegression = csvRegression;
    const csvOption = this.dataset.querySelector<HTMLOptionElement>('option[value="csv"]')!;
    csvOption.disabled = c.csv === '';
    this.dataset.value = c.dataset;
    this.noise.value = String(c.noise);
    this.trainRatio.value = String(c.trainRatio);
    this.seed.value = String(c.seed);
    this.points.value = String(c.points);
    this.layerCount.value = String(c.hidden.length);
    this.writeNeurons(c.hidden);
    this.activation.value = c.activation;
    this.output.value = c.output;
    this.init.value = c.init;
    this.optimizer.value = c.optimizer;
    this.lr.value = String(c.lr);
    this.batch.value = String(c.batchSize);
    this.momentum.value = String(c.momentum);
    for (const f of FEATURES) this.featureBoxes[f].checked = c.features.includes(f);
    // A penalty chosen with λ = 0 stays chosen (the config holds no penalty then); otherwise the config decides.
    const kind =
      c.l1 > 0 ? 'l1' : c.l2 > 0 ? 'l2' : this.regRate.valueAsNumber === 0 ? this.regularization.value : 'none';
    this.regularization.value = kind;
    if (c.l1 > 0 || c.l2 > 0) this.regRate.value = String(c.l1 > 0 ? c.l1 : c.l2);
    this.standardize.checked = c.standardize;
    this.x2Scale.value = String(c.x2Scale);
    this.x2Offset.value = String(c.x2Offset);
    this.identity.checked = c.identity;
    this.zeroInit.checked = c.zeroInit;
    this.updateEnabled();
  }

  /**
   * The configuration the controls show; a field the visitor left invalid keeps its value in
   * `previous`, so a half-typed number never resets the run to nonsense.
   */
  read(previous: PlaygroundConfig): PlaygroundConfig {
    this.rejected = [];
    const num = (input: HTMLInputElement, fallback: number, integer = false): number => {
      const v = input.valueAsNumber;
      const min = Number(input.min),
        max = Number(input.max);
      const ok =
        Number.isFinite(v) &&
        (!integer || Number.isInteger(v)) &&
        (input.min === '' || v >= min) &&
        (input.max === '' || v <= max);
      if (!ok) {
        const label = this.form.querySelector(`label[for="${input.id}"]`)?.textContent?.trim() ?? input.id;
        const range = `${integer ? 'a whole number' : 'a number'}${input.min !== '' && input.max !== '' ? ` from ${input.min} to ${input.max}` : ''}`;
        this.rejected.push(
          `${label}: ${input.value === '' ? 'empty or not a number' : `'${input.value}' is not ${range}`}; kept ${fallback}.`,
        );
        input.value = String(fallback);
      }
      return ok ? v : fallback;
    };
    const pick = <T extends string>(select: HTMLSelectElement, allowed: readonly T[], fallback: T): T =>
      ((allowed as readonly string[]).includes(select.value) ? select.value : fallback) as T;
    const count = num(this.layerCount, previous.hidden.length, true);
    const hidden = Array.from({ length: count }, (_, i) => {
      const input = this.neurons.querySelector<HTMLInputElement>(`input[data-layer="${i}"]`);
      return input ? num(input, previous.hidden[i] ?? 4, true) : (previous.hidden[i] ?? 4);
    });
    const dataset = pick(this.dataset, DATASETS, previous.dataset);
    let features = FEATURES.filter((f) => this.featureBoxes[f].checked);
    if (features.length === 0) {
      this.rejected.push(
        `Input features: the network needs at least one; kept ${previous.features.map((f) => FEATURE_LABELS[f]).join(', ')}.`,
      );
      features = previous.features;
    }
    const regularization = this.regularization.value;
    const rate = regularization === 'none' ? 0 : num(this.regRate, previous.l1 > 0 ? previous.l1 : previous.l2);
    const c: PlaygroundConfig = {
      dataset,
      noise: num(this.noise, previous.noise),
      trainRatio: num(this.trainRatio, previous.trainRatio),
      seed: num(this.seed, previous.seed, true),
      points: num(this.points, previous.points, true),
      csv: dataset === 'csv' ? this.csv : '',
      features,
      hidden,
      activation: pick(this.activation, HIDDEN_ACTIVATIONS, previous.activation),
      output: pick(this.output, OUTPUTS, previous.output),
      init: pick(this.init, INITS, previous.init),
      optimizer: pick(this.optimizer, OPTIMIZER_KINDS, previous.optimizer),
      lr: num(this.lr, previous.lr),
      batchSize: num(this.batch, previous.batchSize, true),
      momentum: num(this.momentum, previous.momentum),
      l2: regularization === 'l2' ? rate : 0,
      l1: regularization === 'l1' ? rate : 0,
      standardize: this.standardize.checked,
      x2Scale: num(this.x2Scale, previous.x2Scale),
      x2Offset: num(this.x2Offset, previous.x2Offset),
      identity: this.identity.checked,
      zeroInit: this.zeroInit.checked,
      steps: 0,
    };
    if (this.regression(c)) c.output = 'linear_mse';
    return c;
  }

  /** Whether the configured data is a regression (which admits only the MSE output). */
  private regression(c: Pick<PlaygroundConfig, 'dataset'>): boolean {
    return isRegression({ dataset: c.dataset, csv: this.csv }, this.csvRegression);
  }

  /** One number input per hidden layer, keeping the sizes already typed. */
  private writeNeurons(hidden: readonly number[]): void {
    const existing = this.neurons.querySelectorAll('div').length;
    if (existing !== hidden.length) {
      this.neurons.replaceChildren(
        ...hidden.map((_, i) => {
          const wrap = document.createElement('div');
          const label = document.createElement('label');
          label.htmlFor = `neurons-${i}`;
          label.textContent = `Layer ${i + 1}`;
          const input = document.createElement('input');
          Object.assign(input, { id: `neurons-${i}`, type: 'number', min: '1', max: String(MAX_NEURONS), step: '1' });
          input.dataset.layer = String(i);
          input.dataset.testid = `neurons-${i}`;
          wrap.append(label, input);
          return wrap;
        }),
      );
    }
    hidden.forEach((units, i) => {
      this.neurons.querySelector<HTMLInputElement>(`input[data-layer="${i}"]`)!.value = String(units);
    });
    this.layerCount.max = String(MAX_LAYERS);
  }

  private updateEnabled(): void {
    this.noiseValue.textContent = this.noise.value;
    this.trainRatioValue.textContent = `${Math.round(Number(this.trainRatio.value) * 100)} %`;
    const generated = this.dataset.value !== 'csv';
    this.noise.disabled = !generated;
    this.points.disabled = !generated;
    const regression = this.regression({ dataset: this.dataset.value as PlaygroundConfig['dataset'] });
    for (const option of Array.from(this.output.options)) option.disabled = regression && option.value !== 'linear_mse';
    this.activation.disabled = this.identity.checked;
    this.init.disabled = this.zeroInit.checked;
    this.batch.disabled = this.optimizer.value === 'gd';
    this.momentum.disabled = this.optimizer.value !== 'momentum';
    this.regRate.disabled = this.regularization.value === 'none';
  }
}
