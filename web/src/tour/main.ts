// The tour page: mounts each section's widget into its element; a widget that fails says so in place.
import { mountBatches } from './widgets/batches.js';
import { mountDelta } from './widgets/delta.js';
import { mountDepth } from './widgets/depth.js';
import { mountGradCheck } from './widgets/gradcheck.js';
import { mountLosses } from './widgets/losses.js';
import { mountMomentum } from './widgets/momentum.js';
import { mountNeuron } from './widgets/neuron.js';
import { mountScaling } from './widgets/scaling.js';
import { mountShapes } from './widgets/shapes.js';
import { mountSymmetry } from './widgets/symmetry.js';

const WIDGETS: Record<string, (root: HTMLElement) => void> = {
  neuron: mountNeuron,
  shapes: mountShapes,
  losses: mountLosses,
  delta: mountDelta,
  batches: mountBatches,
  momentum: mountMomentum,
  scaling: mountScaling,
  depth: mountDepth,
  symmetry: mountSymmetry,
  gradcheck: mountGradCheck,
};

for (const [name, mount] of Object.entries(WIDGETS)) {
  const root = document.querySelector<HTMLElement>(`[data-testid="widget-${name}"]`);
  if (!root) throw new Error(`the tour page has no element for the widget '${name}'`);
  try {
    mount(root);
  } catch (e) {
    root.textContent = `This example failed: ${e instanceof Error ? e.message : String(e)}`;
    throw e;
  }
}
