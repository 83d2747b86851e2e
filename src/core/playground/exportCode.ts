// "Export to code": the playground's network as TensorFlow.js source for a learner's lab file. The
// text builds the same layers and initialisation; the penalty is scaled so the gradient step equals
// the playground's (see `regularizerSource`).
import type { PlaygroundConfig } from './config';
import { DATASET_TITLES, problemOf } from './datasets';
import { FEATURES, normalizeFeatures } from './features';
import { INITIAL_BIAS, type Activation } from './network';

export interface ExportOptions {
  /** Name of the function that builds the model. */
  functionName?: string;
  /** Emit an import of TensorFlow.js as `tf` (leave out when the file already has it). */
  includeImport?: boolean;
  /** The module that import names. */
  tfModule?: string;
  /** Emit the feature list and a function computing a point's inputs. */
  includeFeatures?: boolean;
  /** Emit a function compiling the model with the playground's optimizer and loss. */
  includeCompile?: boolean;
}

export const EXPORT_DEFAULTS: Required<ExportOptions> = {
  functionName: 'buildModel',
  includeImport: true,
  tfModule: '@tensorflow/tfjs',
  includeFeatures: true,
  includeCompile: true,
};

/** The part of the configuration the export uses. */
export type ExportedConfig = Pick<
  PlaygroundConfig,
  'dataset' | 'features' | 'hidden' | 'activation' | 'regularization' | 'regularizationRate' | 'learningRate' | 'batchSize'
>;

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MODULE_NAME = /^(@[\w.-]+\/)?[\w.-]+(\/[\w.-]+)*$/;

function num(n: number): string {
  if (!Number.isFinite(n)) throw new RangeError(`cannot export the number ${n}`);
  // Shortest text that reads back as the same double; no 0.30000000000000004 noise for ordinary rates.
  return String(Number(n.toPrecision(12)));
}

/**
 * TF Playground's L1 penalty is rate·|w| and its L2 penalty ½·rate·w²; tfjs's `l1` is l1·Σ|w| and its
 * `l2` is l2·Σw². So L1 keeps the rate and L2 takes half of it, giving the same gradient step.
 */
export function regularizerSource(config: Pick<PlaygroundConfig, 'regularization' | 'regularizationRate'>): string | undefined {
  switch (config.regularization) {
    case 'none':
      return undefined;
    case 'L1':
      return `tf.regularizers.l1({ l1: ${num(config.regularizationRate)} })`;
    case 'L2':
      return `tf.regularizers.l2({ l2: ${num(config.regularizationRate / 2)} })`;
  }
}

function describe(config: ExportedConfig): string {
  const features = normalizeFeatures(config.features)
    .map((f) => FEATURES[f].label)
    .join(', ');
  const hidden = config.hidden.length === 0 ? 'no hidden layer' : `hidden layers [${config.hidden.join(', ')}] (${config.activation})`;
  const reg = config.regularization === 'none' ? 'no regularization' : `${config.regularization} ${num(config.regularizationRate)}`;
  return `${DATASET_TITLES[config.dataset]} data; features ${features}; ${hidden}; ${reg}; learning rate ${num(config.learningRate)}.`;
}

/** TypeScript source of a tf.sequential model matching the playground's network. */
export function exportModelCode(config: ExportedConfig, options: ExportOptions = {}): string {
  const o = { ...EXPORT_DEFAULTS, ...options };
  if (!IDENTIFIER.test(o.functionName)) throw new RangeError(`"${o.functionName}" is not a valid function name`);
  if (!MODULE_NAME.test(o.tfModule)) throw new RangeError(`"${o.tfModule}" is not a module name`);
  const features = normalizeFeatures(config.features);
  if (features.length === 0) throw new RangeError('select at least one input feature to export a model');
  const output: Activation = problemOf(config.dataset) === 'regression' ? 'linear' : 'tanh';
  const reg = regularizerSource(config);
  const layer = (units: number, activation: Activation, first: boolean): string => {
    const args = [
      ...(first ? [`inputShape: [${features.length}]`] : []),
      `units: ${units}`,
      `activation: '${activation}'`,
      'kernelInitializer: init',
      'biasInitializer: bias',
      ...(reg ? ['kernelRegularizer: regularizer()'] : []),
    ];
    return `  model.add(tf.layers.dense({ ${args.join(', ')} }));`;
  };
  const units = [...config.hidden, 1];
  const lines: string[] = [];
  lines.push(`// Exported from the ML Labs playground. ${describe(config)}`);
  // Emitted text only: this module itself never loads TensorFlow.js.
  if (o.includeImport) lines.push(`import * as tf from '${o.tfModule}';`);
  lines.push('');
  if (o.includeFeatures) {
    lines.push("/** The model's inputs, in order. */");
    lines.push(`export const FEATURES = [${features.map((f) => `'${f}'`).join(', ')}] as const;`);
    lines.push('');
    lines.push('/** Input row for the point (x1, x2). */');
    lines.push('export function featuresOf(x1: number, x2: number): number[] {');
    lines.push(`  return [${features.map((f) => FEATURES[f].expression).join(', ')}];`);
    lines.push('}');
    lines.push('');
  }
  lines.push(`/** ${output === 'tanh' ? 'Classifier: output in (−1, 1), labels ±1.' : 'Regression: linear output.'} */`);
  lines.push(`export function ${o.functionName}(): tf.Sequential {`);
  lines.push('  // As in the playground: weights uniform in [−0.5, 0.5], biases 0.1.');
  lines.push('  const init = tf.initializers.randomUniform({ minval: -0.5, maxval: 0.5 });');
  lines.push(`  const bias = tf.initializers.constant({ value: ${num(INITIAL_BIAS)} });`);
  if (reg) {
    if (config.regularization === 'L2') lines.push("  // The playground's L2 penalty is ½·rate·w², tfjs's l2 is l2·w²: hence half the rate.");
    else lines.push('  // Stock L1 only shrinks weights; the playground also sets a weight that crosses zero to exactly 0.');
    lines.push(`  const regularizer = () => ${reg};`);
  }
  lines.push('  const model = tf.sequential();');
  units.forEach((u, i) => lines.push(layer(u, i === units.length - 1 ? output : config.activation, i === 0)));
  lines.push('  return model;');
  lines.push('}');
  if (o.includeCompile) {
    lines.push('');
    lines.push('/**');
    lines.push(" * Plain gradient descent on the playground's loss, mean of ½·(output − label)². The playground");
    lines.push(` * trained on batches of ${config.batchSize} in a fixed order: model.fit(x, y, { batchSize: ${config.batchSize}, shuffle: false }).`);
    lines.push(' */');
    lines.push('export function compileModel(model: tf.LayersModel): void {');
    lines.push('  model.compile({');
    lines.push(`    optimizer: tf.train.sgd(${num(config.learningRate)}),`);
    lines.push('    loss: (labels: tf.Tensor, outputs: tf.Tensor) => tf.mul(0.5, tf.mean(tf.square(tf.sub(outputs, labels)))),');
    lines.push('  });');
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}

/** Lines that delimit the exported block in a learner's file, so a second export replaces the first. */
export const EXPORT_BEGIN = '// ---- playground export: begin (replaced by the next export) ----';
export const EXPORT_END = '// ---- playground export: end ----';

/**
 * The learner's file with the exported model written in: between the markers if the file has them,
 * else appended. The import of TensorFlow.js is left out when the rest of the file already has one.
 */
export function writeExportInto(fileText: string, config: ExportedConfig, options: ExportOptions = {}): string {
  const begin = fileText.indexOf(EXPORT_BEGIN);
  const end = begin < 0 ? -1 : fileText.indexOf(EXPORT_END, begin);
  const hasBlock = begin >= 0 && end >= 0;
  const before = hasBlock ? fileText.slice(0, begin) : fileText;
  const after = hasBlock ? fileText.slice(end + EXPORT_END.length) : '';
  const importsTf = /^\s*import\s+\*\s+as\s+tf\s+from\s/m.test(before + after);
  const code = exportModelCode(config, { ...options, includeImport: options.includeImport ?? !importsTf });
  const block = `${EXPORT_BEGIN}\n${code}${EXPORT_END}`;
  if (hasBlock) return before + block + after;
  const sep = fileText.length === 0 || fileText.endsWith('\n\n') ? '' : fileText.endsWith('\n') ? '\n' : '\n\n';
  return `${fileText}${sep}${block}\n`;
}
