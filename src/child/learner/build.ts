// Build stage: the learner's code turns rows into features and builds its models, and nothing more.
// The rows carry no labels, and no model trains here: the evaluator trains the saved models and
// measures them, so nothing this process reports can be a measurement.
import type * as tfTypes from '@tensorflow/tfjs';
import { resolveHyperparameters } from '../common/hyperparameters';
import { saveModel } from '../common/artifacts';
import { callLearner, ContractError } from '../common/errors';
import type { BuildPlan, LearnerBuilt } from '../common/learnerProtocol';
import { encodeMatrix } from '../common/wire';
import { at, plainValues, requireExports, type LearnerContext } from './context';
import { featureTable, learnerRows } from './rows';

/** More weights than this would not train within a lab's time budget on any backend. */
export const MAX_PARAMS = 2_000_000;

export function isLayersModel(m: unknown): m is tfTypes.LayersModel {
  return !!m && typeof (m as tfTypes.LayersModel).fit === 'function' && typeof (m as tfTypes.LayersModel).predict === 'function';
}

/** The learning rate of a compiled model's optimizer, or null when it does not say. */
export function optimizerRate(model: tfTypes.LayersModel): number | null {
  const rate = (model.optimizer?.getConfig() as { learningRate?: unknown } | undefined)?.learningRate;
  return typeof rate === 'number' && Number.isFinite(rate) ? rate : null;
}

/** compile() was given the optimizer's name (e.g. 'adam'), so TensorFlow.js made one with its defaults. */
export function optimizerNamed(model: tfTypes.LayersModel): boolean {
  return (model as unknown as { isOptimizerOwned?: unknown }).isOptimizerOwned === true;
}

export function hyperparametersOf(ctx: LearnerContext): Record<string, number | string | boolean> {
  const { manifest, entry, entrySource, overrides } = ctx.start;
  if (ctx.learner.hyperparameters === undefined && !manifest.exports.includes('hyperparameters')) return { ...overrides };
  return resolveHyperparameters(manifest, ctx.learner.hyperparameters, overrides, entry, entrySource);
}

type Builder = NonNullable<BuildPlan['models']>[number];

/** Calls a builder of the learner's with the arguments the lab gives it, and checks it returns a model. */
export function buildOne(ctx: LearnerContext, spec: Builder, width: number, hp: Record<string, unknown>): tfTypes.LayersModel {
  const build = ctx.learner[spec.builder];
  const signature = spec.args.map((a) => (a === 'inputs' ? 'numFeatures' : a === 'classes' ? 'numClasses' : 'hyperparameters')).join(', ');
  if (typeof build !== 'function') throw new ContractError(`"${spec.builder}" must be a function (${signature}) => model`, at(ctx, spec.builder));
  const args = spec.args.map((a) => (a === 'inputs' ? (spec.inputs ?? width) : a === 'classes' ? spec.classes : hp));
  const model = callLearner(() => (build as (...a: unknown[]) => unknown)(...args));
  if (!isLayersModel(model)) {
    throw new ContractError(`${spec.builder}() must return a TensorFlow.js model (tf.sequential() or tf.model())`, at(ctx, spec.builder));
  }
  const params = model.countParams();
  if (params > MAX_PARAMS) {
    throw new ContractError(
      `${spec.builder}() builds a model with ${params.toLocaleString('en-US')} weights; a lab model has at most ${MAX_PARAMS.toLocaleString('en-US')} (it must train in under a minute on a laptop)`,
      at(ctx, spec.builder),
    );
  }
  return model;
}

export async function runBuild(ctx: LearnerContext): Promise<LearnerBuilt> {
  const plan = ctx.start.build;
  if (!plan) throw new Error('the build stage has no plan');
  requireExports(ctx);
  const values = plainValues(ctx, plan.values);
  const hp = hyperparametersOf(ctx);

  let features: LearnerBuilt['features'];
  let width = 0;
  if (plan.features) {
    const rows = ctx.start.rows;
    if (!rows) throw new Error('the build stage has no rows');
    const fn = ctx.learner.features;
    if (typeof fn !== 'function') throw new ContractError('"features" must be a function (row) => number[]', at(ctx, 'features'));
    const label = ctx.start.label;
    const train = learnerRows(rows.train, label);
    let prepared: unknown;
    if (plan.features.prepare && ctx.learner.prepare !== undefined) {
      const prepare = ctx.learner.prepare;
      if (typeof prepare !== 'function') {
        throw new ContractError('"prepare" must be a function (rows) => statistics, called once with the training rows', at(ctx, 'prepare'));
      }
      // A copy: the learner may sort or change the rows it is given.
      prepared = callLearner(() => (prepare as (r: unknown[]) => unknown)(learnerRows(rows.train, label)));
    }
    const f = fn as (row: unknown, prepared: unknown) => unknown;
    const trainX = featureTable(ctx, train, f, prepared, 'train', undefined);
    width = trainX[0]?.length ?? 0;
    const valX = featureTable(ctx, learnerRows(rows.validation, label), f, prepared, 'validation', width);
    const testX = featureTable(ctx, learnerRows(rows.test, label), f, prepared, 'test', width);
    features = { train: encodeMatrix(trainX, width), validation: encodeMatrix(valX, width), test: encodeMatrix(testX, width) };
  }

  const models: LearnerBuilt['models'] = [];
  let probeRate: number | null | undefined;
  let optimizerByName: boolean | undefined;
  for (const spec of plan.models ?? []) {
    if (spec.optional && ctx.learner[spec.builder] === undefined) continue;
    const before = new Set(Object.keys(ctx.tf.engine().registeredVariables));
    const model = buildOne(ctx, spec, width, hp);
    // Weights built but not part of the model: a layer applied somewhere off the way to the output.
    const inModel = new Set(model.weights.map((w) => w.name));
    const unusedParams = Object.entries(ctx.tf.engine().registeredVariables)
      .filter(([name, v]) => !before.has(name) && !inModel.has(name) && v.trainable)
      .reduce((sum, [, v]) => sum + v.size, 0);
    models.push({ name: spec.name, artifacts: await saveModel(ctx.tf, model), unusedParams });
    model.dispose();
    if (plan.probeRate && probeRate === undefined && typeof hp.learningRate === 'number') {
      // Does the model take its rate from the hyperparameters (so that a tuner's value is used)?
      const probe = buildOne(ctx, spec, width, { ...hp, learningRate: hp.learningRate / 3 });
      probeRate = optimizerRate(probe);
      optimizerByName = optimizerNamed(probe);
      probe.dispose();
    }
  }
  return {
    type: 'built',
    values,
    ...(features ? { features } : {}),
    models,
    ...(probeRate !== undefined ? { probeRate } : {}),
    ...(optimizerByName !== undefined ? { optimizerByName } : {}),
  };
}
