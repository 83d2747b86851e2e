// The causes a failed check can have, each decided by the evidence of the run — the model's structure,
// the inputs its first layer saw, the label as it learned it, the curves — and each naming the knob
// that fixes it, with the numbers that point there. A check lists, in lab.json, the causes that can
// explain its failure; the first that the evidence shows is the one its hint names.
import { CROSS_ENTROPY_BINARY, CROSS_ENTROPY_MULTI, SQUARED_ERROR } from './contract';
import {
  SYMMETRIC_INIT,
  curve,
  stillImproving,
  zigzags,
  epochNumber,
  epochsIn,
  asGoodAsBestLine,
  rate,
  money,
  widest,
  type Cause,
  type Knob,
} from './causeContext';
import { isStuck } from './curves';
import { formatNumber } from '../format';

export type { Cause, CauseContext, Explanation, Knob } from './causeContext';

const HEAD_WORDS: Record<string, string> = {
  relu: 'only zero or positive numbers',
  sigmoid: 'only numbers between 0 and 1',
  tanh: 'only numbers between −1 and 1',
  softmax: 'only shares that add up to 1',
  softplus: 'only positive numbers',
  elu: 'nothing much below −1',
};

export const CAUSES: Cause[] = [
  {
    id: 'label-unscaled',
    explain: (ctx) => {
      const label = ctx.evidence?.label;
      if (ctx.evidence?.task !== 'regression' || !label || (label.meanAbs <= 100 && label.meanAbs >= 0.01)) return undefined;
      // The power of ten that brings the label the model learns to about 1.
      const scale = Number(ctx.outputs.label_scale ?? 1);
      const suggested = scale * 10 ** Math.round(Math.log10(label.meanAbs));
      return {
        text:
          `The label the model learns averages ${formatNumber(label.meanAbs)} (labelScale is ${formatNumber(scale)}). ` +
          `Errors and gradients of that size swamp the optimizer: each step moves a weight by about the learning rate, and the weights would have to reach ${label.meanAbs > 100 ? 'hundreds of thousands' : 'tiny values'}. ` +
          `Set labelScale = ${suggested >= 1 ? String(Math.round(suggested)) : String(suggested)}, so that the label the model learns averages about ${formatNumber((label.meanAbs * scale) / suggested)}.`,
        knob: { export: 'labelScale' },
      };
    },
  },
  {
    id: 'inputs-unscaled',
    explain: (ctx) => {
      const e = ctx.evidence;
      const w = e ? widest(e) : undefined;
      if (!e || !w || Math.max(Math.abs(w.mean), w.std) <= 10) return undefined;
      const where = e.model?.normalizesInside ? 'after the layers that are meant to normalize it' : 'as features() returns it';
      return {
        text:
          `Input ${w.column} reaches the model's first trainable layer ${where} with an average of ${formatNumber(w.mean)} and a spread of ±${formatNumber(w.std)}, while standardized inputs are about 0 ± 1. ` +
          'Inputs that large make the first steps lurch and saturate the activations, so the learning rate cannot suit every weight. Standardize each input (subtract its mean, divide by its spread on the training rows), in features() or in a layer inside the model.',
        knob: { export: 'features' },
      };
    },
  },
  {
    id: 'output-head',
    explain: (ctx) => {
      const m = ctx.evidence?.model;
      if (!m || m.headByLab) return undefined;
      const act = m.outputActivation;
      const task = ctx.evidence?.task;
      if (task === 'regression' && act !== 'linear') {
        return {
          text: `The last layer's activation is '${act}', so the model can output ${HEAD_WORDS[act] ?? `only what '${act}' allows`}, not any price. A regression's output layer has no activation (linear): remove it from the last layer.`,
          knob: { export: 'buildModel' },
        };
      }
      if (task === 'binary' && !((m.outputUnits === 1 && act === 'sigmoid') || (m.outputUnits === 2 && act === 'softmax'))) {
        return {
          text: `The output layer has ${m.outputUnits} unit${m.outputUnits === 1 ? '' : 's'} with activation '${act}': its outputs are not probabilities. A yes/no answer needs one unit with activation 'sigmoid', which turns any score into a probability between 0 and 1.`,
          knob: { export: 'buildModel' },
        };
      }
      const k = ctx.classes?.length ?? 0;
      if (task === 'multiclass' && !(m.outputUnits === k && act === 'softmax')) {
        return {
          text:
            `The output layer has ${m.outputUnits} unit${m.outputUnits === 1 ? '' : 's'} with activation '${act}'. Exclusive classes need one output per class (${k}) and a 'softmax' across them, so that the outputs are probabilities that add up to 1` +
            (act === 'sigmoid' ? ": a sigmoid per class answers each class's yes/no question on its own, and the answers do not add up." : '.'),
          knob: { export: 'buildModel' },
        };
      }
      return undefined;
    },
  },
  {
    id: 'loss-mismatch',
    explain: (ctx) => {
      const m = ctx.evidence?.model;
      const task = ctx.evidence?.task;
      if (!m || m.compiledByLab || m.headByLab) return undefined;
      if (task === 'regression' && !SQUARED_ERROR.has(m.loss)) {
        return {
          text: `buildModel() compiles the model with loss '${m.loss}'. The lab grades the root mean squared error, and a model trained on another loss aims at something else (the absolute error aims at the median, not the mean). Compile with loss: 'meanSquaredError'.`,
          knob: { export: 'buildModel' },
        };
      }
      if (task === 'binary' && !CROSS_ENTROPY_BINARY.has(m.loss) && !(m.outputUnits === 2 && CROSS_ENTROPY_MULTI.has(m.loss))) {
        return {
          text: `buildModel() compiles the model with loss '${m.loss}'. For probabilities, the loss is the cross-entropy: it punishes a confident wrong answer without bound, where the squared error barely notices it, so only it makes the outputs calibrated probabilities. Compile with loss: 'binaryCrossentropy'.`,
          knob: { export: 'buildModel' },
        };
      }
      if (task === 'multiclass' && !CROSS_ENTROPY_MULTI.has(m.loss)) {
        return {
          text: `buildModel() compiles the model with loss '${m.loss}'. With one exclusive class per row the loss is the categorical cross-entropy of the softmax outputs; '${m.loss}' treats each class as a separate yes/no question. Compile with loss: 'categoricalCrossentropy'.`,
          knob: { export: 'buildModel' },
        };
      }
      return undefined;
    },
  },
  {
    id: 'unused-layer',
    explain: (ctx) => {
      const unused = ctx.evidence?.model?.unusedParams;
      if (!unused) return undefined;
      return {
        text: `buildModel() created ${unused.toLocaleString('en-US')} weights that are not part of the model: a layer is applied somewhere off the way from the input to the output, so it never computes anything the output uses. In the functional API, apply each layer to the previous layer's output, and build the model from the input to the last layer.`,
        knob: { export: 'buildModel' },
      };
    },
  },
  {
    id: 'no-nonlinearity',
    explain: (ctx) => {
      const m = ctx.evidence?.model;
      if (!m) return undefined;
      // A frozen dense layer (fixed weights, e.g. a standardization) learns nothing: it does not count.
      const dense = m.layers.filter((l) => l.className === 'Dense' && l.trainable !== false).length;
      if (dense < 2 || m.hiddenActivations > 0) return undefined;
      return {
        text: `The model has ${dense} dense layers but no activation between them, so together they compute one linear function of the inputs: no better than a single layer. Give the hidden layers an activation such as 'relu'.`,
        // A lab whose activation is a setting (the playground's network) points at that setting.
        knob: typeof ctx.hyperparameters.activation === 'string' ? { value: 'activation' } : { export: 'buildModel' },
      };
    },
  },
  {
    id: 'symmetric-init',
    explain: (ctx) => {
      const m = ctx.evidence?.model;
      const layer = m?.layers.find((l) => l.className === 'Dense' && l.trainable !== false && l.initializer && SYMMETRIC_INIT.has(l.initializer));
      if (!m || !layer || m.layers.filter((l) => l.className === 'Dense').length < 2) return undefined;
      return {
        text: `A dense layer starts with every weight set by '${layer.initializer}': all its units compute the same thing and get the same gradient, so they stay identical and the layer acts like one unit. Leave the kernel initializer at its default (random, e.g. 'glorotUniform').`,
        knob: { export: 'buildModel' },
      };
    },
  },
  {
    id: 'penalty-dominates',
    explain: (ctx) => {
      const share = ctx.evidence?.model?.penaltyShare ?? (typeof ctx.outputs.penalty_percent === 'number' ? ctx.outputs.penalty_percent / 100 : undefined);
      if (share === undefined || share < 0.05) return undefined;
      const knob: Knob =
        typeof ctx.hyperparameters.l2 === 'number'
          ? { value: 'l2' }
          : typeof ctx.hyperparameters.regularizationRate === 'number'
            ? { value: 'regularizationRate' }
            : { export: 'buildModel' };
      return {
        text: `The regularization penalty is ${(share * 100).toFixed(share < 0.1 ? 1 : 0)} % of the final training loss: the optimizer spends that much of its effort keeping weights small instead of fitting the data, which holds every weight (and every probability) back. Lower the regularization rate, by a factor of 10 at a time.`,
        knob,
      };
    },
  },
  {
    id: 'dropout-heavy',
    explain: (ctx) => {
      const drop = ctx.evidence?.model?.layers.find((l) => l.className === 'Dropout' && (l.rate ?? 0) >= 0.5);
      if (!drop) return undefined;
      return {
        text: `A dropout layer drops ${Math.round((drop.rate ?? 0) * 100)} % of its inputs at every step: the network can hardly learn anything that needs several units together, and it underfits. Keep dropout small (0.1–0.2) in a network this size.`,
        knob: { export: 'buildModel' },
      };
    },
  },
  {
    id: 'rate-too-high',
    explain: (ctx) => {
      const lr = rate(ctx);
      const c = curve(ctx, 'val_loss') ?? curve(ctx, 'loss');
      if (!c) return undefined;
      const train = curve(ctx, 'loss');
      const before = ctx.evidence?.initialLoss;
      const base = ctx.evidence?.baselineLoss;
      let what: string | undefined;
      if (c.diverged || ctx.status === 'diverged') what = 'the loss became NaN (infinitely large)';
      // As good as the best straight line through its features: whatever the curve did, the steps found
      // the optimum, so the rate is not what holds the model back.
      else if (asGoodAsBestLine(ctx)) what = undefined;
      // Thrown off: worse at the end than before the first step, and worse than learning nothing (when
      // what learning nothing costs is unknown, only a loss that doubled says so).
      else if (
        train &&
        !train.diverged &&
        before !== undefined &&
        before > 0 &&
        (base === undefined ? train.last >= 2 * before : train.last > 1.25 * before && train.last > base)
      ) {
        what = `the training loss ended at ${formatNumber(train.last)}, ${formatNumber(train.last / before)} × what it was before the first step (${formatNumber(before)})${base !== undefined ? ` and above what learning nothing costs (${formatNumber(base)})` : ''}`;
      }
      // Blew up at once: the first epoch's steps made the loss explode (an honest first epoch lowers it).
      else if (train && !train.diverged && before !== undefined && before > 0 && train.first >= 10 * before) {
        const dead = base !== undefined && c.last <= 1.1 * base && c.last >= 0.9 * base;
        what =
          `in the first epoch the training loss averaged ${formatNumber(train.first)}, ${formatNumber(train.first / before)} × what it was before the first step (${formatNumber(before)})` +
          (dead
            ? `, and the model ended where learning nothing leaves it (${formatNumber(c.last)}, against ${formatNumber(base!)} for always predicting the average)`
            : '');
      } else if (c.last >= 2 * c.min && c.minAt < c.n) what = `the loss climbed back to ${formatNumber(c.last / c.min)} × its lowest value`;
      else if (c.worstRise > 1.5) what = `late in training the loss jumped to ${c.worstRise.toFixed(1)} × its lowest value before`;
      // Erratic: up and down by large steps, epoch after epoch (the rule of thumb's "erratic → lower the rate").
      else if (zigzags(c))
        what = `the loss zigzagged: it went up in ${c.rises} of ${c.n} epochs, climbing back by ${Math.round(c.climbed * 100)} % of its lowest value in all`;
      // The first steps threw the loss far up, and it came down only to what predicting the average
      // costs: the network collapsed (its units died) and now answers the same for every row.
      else if (train && !train.diverged && base !== undefined && base > 0 && train.first > 3 * base && Math.abs(train.last - base) < 0.1 * base) {
        what = `the training loss shot up to ${formatNumber(train.first)} in the first epoch, then settled at ${formatNumber(train.last)}, what always predicting the average costs: the network collapsed and answers the same for every row`;
      }
      if (!what) return undefined;
      return {
        text: `${what[0].toUpperCase()}${what.slice(1)}: learning rate ${lr !== undefined ? formatNumber(lr) : '(unknown)'} makes steps that overshoot the minimum, so the model bounces around it or flies off. Divide the learning rate by 3 to 10.`,
        knob: { value: 'learningRate' },
      };
    },
  },
  {
    id: 'stuck',
    explain: (ctx) => {
      const train = curve(ctx, 'loss');
      if (!isStuck(train, ctx.evidence?.baselineLoss, ctx.evidence?.initialLoss)) return undefined;
      const base = ctx.evidence?.baselineLoss;
      const level =
        base === undefined
          ? ''
          : train!.last > 1.2 * base
            ? `, worse than always predicting the average (${formatNumber(base)})`
            : `, about what always predicting the average costs (${formatNumber(base)})`;
      const stuck = `The loss stayed at ${formatNumber(train!.last)}${level}, from the first epoch to the last: the model learned nothing.`;
      // A model stuck for a reason the evidence shows: that reason is the cause.
      for (const id of ROOTS_OF_STUCK) {
        const root = CAUSES.find((c) => c.id === id)?.explain(ctx);
        if (root) return { text: `${stuck} ${root.text}`, knob: root.knob, rootCause: id };
      }
      const lr = rate(ctx);
      if (lr !== undefined && lr < 1e-4) {
        return {
          text: `${stuck} Learning rate ${formatNumber(lr)} moves the weights too little to learn anything in these epochs: raise it (×10 at a time).`,
          knob: { value: 'learningRate' },
        };
      }
      return { text: `${stuck} Look at what it is given and what it can output before tuning the rate.`, knob: { export: 'buildModel' } };
    },
  },
  {
    id: 'too-few-epochs',
    explain: (ctx) => {
      const c = curve(ctx, 'val_loss') ?? curve(ctx, 'loss');
      const epochs = typeof ctx.hyperparameters.epochs === 'number' ? ctx.hyperparameters.epochs : c?.n;
      if (!c || c.diverged || epochs === undefined) return undefined;
      if (c.n < 5) {
        return {
          text: `Only ${c.n} epoch${c.n === 1 ? ' was' : 's were'} trained: too few for the loss to settle, or to tell whether it has. Train for more epochs (10–30 here) and watch the curve flatten.`,
          knob: { value: 'epochs' },
        };
      }
      if (!stillImproving(c) || epochs >= 20) return undefined;
      return {
        text: `The validation loss was still falling when training stopped: down ${(c.fallInWindow * 100).toFixed(1)} % over the last ${c.window} of ${epochs} epochs, and the last epoch was its best. The model had not finished learning: train for more epochs (e.g. twice as many) until the curve flattens.`,
        knob: { value: 'epochs' },
      };
    },
  },
  {
    id: 'rate-too-low',
    explain: (ctx) => {
      const c = curve(ctx, 'val_loss') ?? curve(ctx, 'loss');
      const lr = rate(ctx);
      if (!c || c.diverged || c.n < 5 || !stillImproving(c)) return undefined;
      return {
        text: `After ${epochNumber(ctx, c.n)} epochs the validation loss was still creeping down (${(c.fallInWindow * 100).toFixed(1)} % over the last ${epochsIn(ctx, c.n, c.window)} epochs, still reaching new lows), far from where it could end: each step is too small${lr !== undefined ? ` at learning rate ${formatNumber(lr)}` : ''}. Raise the learning rate (×3 to ×10) so that the curve flattens within the epochs you have.`,
        knob: { value: 'learningRate' },
      };
    },
  },
  {
    id: 'overfitting',
    explain: (ctx) => {
      const val = curve(ctx, 'val_loss');
      const train = curve(ctx, 'loss');
      if (!val || !train || val.diverged || val.minAt > 0.7 * val.n || val.last <= 1.1 * val.min || train.last >= train.min * 1.05) return undefined;
      return {
        text: `The validation loss was lowest at epoch ${epochNumber(ctx, val.minAt)} of ${epochNumber(ctx, val.n)} and then rose by ${Math.round((val.last / val.min - 1) * 100)} % while the training loss kept falling: the model is memorizing the training rows. Stop earlier, or regularize (dropout, a weight penalty), or make the model smaller.`,
        knob: { value: 'epochs' },
      };
    },
  },
  {
    id: 'too-good',
    explain: (ctx) => {
      const inputs = ctx.evidence?.inputs ?? [];
      let best: { column: number; corr: number } | undefined;
      inputs.forEach((c, i) => {
        if (typeof c.corr === 'number' && (!best || Math.abs(c.corr) > Math.abs(best.corr))) best = { column: i + 1, corr: c.corr };
      });
      const suspicious = best && Math.abs(best.corr) > 0.95;
      return {
        text:
          'No model that learns from these inputs reaches an error this low on rows it has never seen: something in your code knows the answers. ' +
          (suspicious
            ? `Input ${best!.column} follows the label almost exactly on the training rows (correlation ${best!.corr.toFixed(3)}): a feature computed from the price, or looked up in a table of known prices, does that. Remove it.`
            : 'A table of known prices, or a feature computed from them, does that. Remove it and let the model learn from the columns of each row.'),
        knob: { export: 'features' },
      };
    },
  },
  {
    id: 'weak-features',
    explain: (ctx) => {
      if (!asGoodAsBestLine(ctx) || (ctx.evidence?.model?.hiddenActivations ?? 0) > 0) return undefined;
      const test = Number(ctx.outputs.test_rmse);
      const line = Number(ctx.outputs.least_squares_rmse);
      // The data's column that follows the label most closely, if it clearly beats every input the model has.
      const yours = Math.max(0, ...(ctx.evidence?.inputs ?? []).map((c) => Math.abs(c.corr ?? 0)));
      const best = ctx.evidence?.columns?.[0];
      const add =
        best && Math.abs(best.corr) > yours + 0.1
          ? `. Add ${best.name} to the array features() returns: of the data's columns it follows the price most closely on the training rows (correlation ${best.corr.toFixed(2)}, against ${yours.toFixed(2)} for your strongest input).`
          : ' — add a stronger one.';
      return {
        text: `Your model is as good as the best straight line through its features (${money(ctx, test)} against ${money(ctx, line)}): training is done, and the features cannot say more. A lower error needs features that carry more about the price${add}`,
        knob: { export: 'features' },
      };
    },
  },
  {
    id: 'normalization-lag',
    explain: (ctx) => {
      if (!ctx.evidence?.model?.layers.some((l) => l.className === 'BatchNormalization')) return undefined;
      const train = curve(ctx, 'loss');
      const val = curve(ctx, 'val_loss');
      // Worse on the validation rows than on the training rows from the first epoch (memorizing takes
      // epochs), and still worse at the end: the model computes something else when it predicts.
      if (!train || !val || val.diverged || train.diverged || val.first < 1.5 * train.first || val.last <= train.last) return undefined;
      return {
        text:
          `The model has a batch-normalization layer, and it predicts much worse than it trains: after epoch 1 the validation loss was ${formatNumber(val.first)} against ${formatNumber(train.first)} on the training rows, and ${formatNumber(val.last)} against ${formatNumber(train.last)} at the end. ` +
          "While training, that layer normalizes each batch with the batch's own mean and spread; when it predicts, it uses moving averages of them, which start at 0 and 1 and move only a small part of the way at each step (1 % by default), so the model is graded on inputs unlike the ones it learned on. " +
          'Standardize the inputs with fixed statistics of the training rows instead (in features(), or in a frozen first layer).',
        knob: { pattern: 'batchNormalization' },
      };
    },
  },
];

export const CAUSE_IDS = CAUSES.map((c) => c.id);

/** Causes in the model or the data: what a stuck, bouncing or crawling curve is a symptom of. */
export const ROOT_CAUSES = new Set([
  'label-unscaled',
  'inputs-unscaled',
  'output-head',
  'loss-mismatch',
  'unused-layer',
  'no-nonlinearity',
  'symmetric-init',
  'penalty-dominates',
  'dropout-heavy',
  'too-good',
  'normalization-lag',
]);

/** What can keep a model from learning at all, most specific first. */
const ROOTS_OF_STUCK = ['label-unscaled', 'inputs-unscaled', 'output-head', 'symmetric-init', 'dropout-heavy', 'penalty-dominates', 'rate-too-high'];

export function causeById(id: string): Cause | undefined {
  return CAUSES.find((c) => c.id === id);
}
