import * as assert from 'assert';
import { GridPass } from '../../../src/child/playground/nodeMaps';
import { resolveConfig, type PlaygroundConfig } from '../../../src/core/playground/config';
import { HeatMapGrid } from '../../../src/core/playground/heatmap';
import { PlaygroundSession } from '../../../src/core/playground/session';
import { quantize } from '../../../src/core/playground/protocol';

describe('playground frame grid', () => {
  const setups: Partial<PlaygroundConfig>[] = [
    {},
    { dataset: 'spiral', hidden: [8, 8, 8], activation: 'relu', features: ['x1', 'x2', 'sinX1', 'sinX2'] },
    { dataset: 'reg-gauss', hidden: [3], activation: 'sigmoid', features: ['x1', 'x2', 'x1TimesX2'] },
    { hidden: [], features: ['x1Squared', 'x2Squared'] },
    { features: [] },
  ];
  for (const config of setups) {
    it(`gives exactly the trainer's outputs, layer by layer over the grid: ${JSON.stringify(config)}`, () => {
      const s = new PlaygroundSession(resolveConfig(config));
      s.step(20);
      const pass = new GridPass(s.features, s.network.spec, 100, 10);
      pass.run(s.network.getWeights());
      const full = new HeatMapGrid(s.features, 100).predict(s.network);
      assert.deepStrictEqual(pass.heat, quantize(full, new Uint8Array(full.length)));
      const small = new HeatMapGrid(s.features, 10).predictNeurons(s.network);
      // The small grid's points are points of the full grid; their coordinates may differ in the last bit.
      const expected = quantize(small, new Uint8Array(small.length));
      const off = pass.nodes.reduce((n, b, i) => n + (Math.abs(b - expected[i]!) > 1 ? 1 : 0), 0);
      assert.strictEqual(off, 0);
    });
  }

  it('refuses a node grid that does not sit on the full grid', () => {
    const s = new PlaygroundSession();
    assert.throws(() => new GridPass(s.features, s.network.spec, 100, 13), RangeError);
  });
});
