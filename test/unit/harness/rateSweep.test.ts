// How the learning-rate lab reads a curve: diverged (NaN, blown up, or a dead network), converged,
// crawling or stalled — relative to the best rate and to the best straight line.
import * as assert from 'assert';
import { judgeCurves, type CurveFacts } from '../../../src/child/evaluator/kinds/rateSweep';
import { widestFeature } from '../../../src/child/evaluator/kinds/versusLinear';

const LABEL_STD = 116_000;
const LINE = 70_000;
const alive = (valRmse: number[]): CurveFacts => ({ valRmse, predictionStd: 90_000 });

describe('learning-rate curves', () => {
  const good = alive([80_000, 70_000, 66_000, 64_000, 63_000, 62_500, 62_000]);

  it('a rate that converges ends near the best rate and the best line', () => {
    const v = judgeCurves({ good }, LABEL_STD, LINE);
    assert.strictEqual(v.good.verdict, 'converged');
    assert.match(v.good.why, /\$62,000, close to the best rate/);
  });

  it('NaN, a blow-up and a network that predicts one price are all "diverged"', () => {
    const v = judgeCurves(
      {
        good,
        nan: { valRmse: [90_000, NaN], divergedAt: 2, predictionStd: NaN },
        blown: alive([70_000, 65_000, 100_000, 110_000]),
        dead: { valRmse: [116_500, 115_900, 116_100, 116_000], predictionStd: 0 },
      },
      LABEL_STD,
      LINE,
    );
    assert.strictEqual(v.nan.verdict, 'diverged');
    assert.match(v.nan.why, /NaN or infinite at epoch 2/);
    assert.strictEqual(v.blown.verdict, 'diverged');
    assert.match(v.blown.why, /jumped to 2\.9 × its lowest value/);
    assert.strictEqual(v.dead.verdict, 'diverged');
    assert.match(v.dead.why, /same price for every block/);
    // The best is taken among the rates that did not diverge.
    assert.strictEqual(v.good.verdict, 'converged');
  });

  it('far from the best and still falling is "crawling"; far and flat is "stalled"', () => {
    const v = judgeCurves(
      {
        good,
        crawl: alive([230_000, 220_000, 210_000, 200_000, 190_000, 180_000, 170_000]),
        flat: alive([100_000, 95_000, 94_000, 94_100, 93_900, 94_000, 94_050]),
      },
      LABEL_STD,
      LINE,
    );
    assert.strictEqual(v.crawl.verdict, 'crawling');
    assert.match(v.crawl.why, /still falling \(15% over the last 3 epochs\)/);
    assert.strictEqual(v.flat.verdict, 'stalled');
  });

  it('the best of three crawling rates is not "converged": it must also reach the best line', () => {
    const v = judgeCurves({ a: alive([230_000, 200_000, 180_000, 160_000]), b: alive([240_000, 230_000, 220_000, 210_000]) }, LABEL_STD, LINE);
    assert.strictEqual(v.a.verdict, 'crawling');
    assert.strictEqual(v.b.verdict, 'crawling');
  });

  it('finds the feature column with the widest spread', () => {
    assert.deepStrictEqual(
      widestFeature([
        [1, 10, 0],
        [2, 30, 1],
      ]),
      { std: 10, column: 2 },
    );
  });
});
