import { expect } from 'chai';
import { explainFlow } from '../../src/app/explain-flow.js';
import { InputError } from '../../src/model/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

const RECIPE_08 = 'scenarios/recipes/08-allow-external-traffic.yaml';

describe('explainFlow', () => {
  describe('#explainFlow()', () => {
    it('should explain a flow from an external source at every step by the destination ingress', async () => {
      const scenario = await loadScenarioFile(RECIPE_08);
      const cells = explainFlow(scenario, { from: 'external:browser', to: 'default/web', port: '443/TCP' });
      expect(cells.map((c) => c.explanation.verdict)).to.deep.equal(['allowed', 'blocked', 'allowed', 'blocked']);
      expect(cells.every((c) => c.key.target === 'pod-ip' && !c.explanation.egress.applies)).to.equal(true);
    });

    it('should refuse an external host that is no source, and an external source towards anything but a pod by IP', async () => {
      const scenario = await loadScenarioFile(RECIPE_08);
      expect(() => explainFlow(scenario, { from: 'external:nope', to: 'default/web' })).to.throw(InputError, /no such external source/);
      expect(() => explainFlow(scenario, { from: 'external:browser', to: 'default/web', target: 'service' })).to.throw(InputError, /pods by IP only/);
    });
  });
});
