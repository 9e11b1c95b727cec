// `backprop summary`: a saved model's layers, shapes, parameter counts, task, labels and scaler.
import { Command } from 'commander';
import { loadModel } from '../node.js';
import type { CliIo } from './io.js';

export function summaryCommand(io: CliIo, setExit: (code: number) => void): Command {
  return new Command('summary')
    .description('layers, shapes, parameter counts, task, labels and scaler of a saved model')
    .requiredOption('--model <dir>', 'model directory')
    .option('--json', 'print one JSON object on stdout', false)
    .action(async (o: { model: string; json: boolean }) => {
      const model = await loadModel(o.model);
      const s = model.summary();
      const scaler = model.scaler ? { type: model.scaler.type, features: model.scaler.features } : null;
      let loss: string | null = null;
      try {
        loss = model.loss;
      } catch {
        // A model saved before compile has no loss; the summary says so.
      }
      if (o.json) {
        io.stdout.write(
          JSON.stringify({
            model: o.model,
            task: model.task,
            loss,
            inputs: s.inputs,
            outputs: s.outputs,
            layers: s.layers,
            totalParameters: s.totalParameters,
            labels: model.labels,
            featureNames: model.featureNames,
            targetNames: model.targetNames,
            scaler,
          }) + '\n',
        );
      } else {
        const lines = [
          `model ${o.model}: ${model.task ?? 'no task'}, loss ${loss ?? 'none'}, ${s.inputs} inputs → ${s.outputs} outputs`,
        ];
        lines.push('  #  layer       in → out   activation   weight      parameters');
        for (const l of s.layers) {
          lines.push(
            `  ${String(l.index).padStart(1)}  ${l.type.padEnd(10)} ${String(l.inputs).padStart(4)} → ${String(l.outputs).padEnd(5)} ${l.activation.padEnd(12)} ${(l.weightShape ? `[${l.weightShape.join(', ')}]` : '').padEnd(11)} ${l.parameters}`,
          );
        }
        lines.push(`total parameters: ${s.totalParameters}`);
        if (model.labels) lines.push(`labels: ${model.labels.join(', ')}`);
        if (model.targetNames) lines.push(`targets: ${model.targetNames.join(', ')}`);
        lines.push(`scaler: ${scaler ? `${scaler.type} (${scaler.features} features)` : 'none'}`);
        io.stdout.write(lines.join('\n') + '\n');
      }
      setExit(0);
    });
}
