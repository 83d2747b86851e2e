// Random search: every parameter drawn uniformly on its scale, independently. Reproducible: the
// same seed gives the same parameters for the same trial number.
import { makeRng } from '../keyedRng';
import { paramsFromUnit, type Params } from '../scale';
import type { StudyView } from '../study';
import { studySeed, type SyncSampler } from './sampler';

export class RandomSampler implements SyncSampler {
  ask(study: StudyView, number: number): Params {
    const rng = makeRng('random', studySeed(study), number);
    return paramsFromUnit(
      study.space,
      study.space.map(() => rng()),
    );
  }
}
