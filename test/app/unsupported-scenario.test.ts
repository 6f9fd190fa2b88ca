import { expect } from 'chai';
import { unsupportedScenario } from '../../src/app/unsupported-scenario.js';
import { loadScenarioFile } from '../../src/scenario/index.js';

describe('unsupportedScenario', () => {
  describe('#unsupportedScenario()', () => {
    it('should report the request cells of a scenario with HTTP probes beside the engine verdicts of its L7 policies', async () => {
      const scenario = await loadScenarioFile('scenarios/l7/01-shoes-writer-post-only.yaml');
      const report = unsupportedScenario(scenario, { policyKinds: ['NetworkPolicy'], sctp: true, externals: true }, { name: 'test' }, () => {});
      expect(report?.unsupported?.kinds).to.deep.equal(['AuthorizationPolicy']);
      const cell = report!.steps[1]!.cells.find((c) => c.from === 'shop/inventory' && c.to === 'shop/shoes' && c.request === 'GET /');
      expect(cell?.status).to.equal('unsupported');
      expect(cell?.explanation.verdict).to.equal('denied');
    });
  });
});
