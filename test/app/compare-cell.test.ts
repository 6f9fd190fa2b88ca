import { expect } from 'chai';
import type { CellKey, Connectivity, DirectionExplanation, Explanation } from '../../src/model/index.js';
import { compareCell } from '../../src/app/compare-cell.js';

const key: CellKey = { from: 'x/a', to: 'x/b', target: 'pod-ip', port: 80, protocol: 'TCP' };
const side: DirectionExplanation = { applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };

function explanation(verdict: Connectivity): Explanation {
  return { verdict, egress: side, ingress: side, summary: `engine says ${verdict}` };
}

describe('compareCell', () => {
  describe('#compareCell()', () => {
    it('should pass or fail a check-mode cell on the engine alone, with no observation', () => {
      const pass = compareCell({ key, expected: 'allowed', explanation: explanation('allowed') });
      const fail = compareCell({ key, expected: 'blocked', explanation: explanation('allowed') });
      expect([pass.status, pass.engineAgrees, pass.observed]).to.deep.equal(['pass', true, undefined]);
      expect([fail.status, fail.engineAgrees]).to.deep.equal(['fail', false]);
    });

    it('should report a check-mode cell an L7 layer cannot judge as unsupported, and count no engine disagreement for it in run mode', () => {
      const unknown: Explanation = { ...explanation('unknown'), l7: [{ layer: 'AuthorizationPolicy', decision: 'unsupported', policies: [], reason: 'CUSTOM policy x/ext needs its provider' }] };
      const check = compareCell({ key, expected: 'denied', explanation: unknown });
      expect(check).to.include({ status: 'unsupported', engineAgrees: true, raw: 'engine-unsupported', detail: 'AuthorizationPolicy: CUSTOM policy x/ext needs its provider' });
      const run = compareCell({ key, expected: 'denied', explanation: unknown, observation: { connectivity: 'denied' } });
      expect(run).to.include({ status: 'pass', engineAgrees: true });
    });

    it('should report a cell the provider cannot enforce as unsupported with the reason, neither pass nor fail, observing nothing', () => {
      const cell = compareCell({ key, expected: 'blocked', explanation: explanation('blocked'), observation: { unsupported: 'NetworkPolicy is not enforced by fake' } });
      expect(cell).to.include({ status: 'unsupported', engineAgrees: true, detail: 'NetworkPolicy is not enforced by fake' });
      expect(cell.observed).to.equal(undefined);
    });

    it('should let an ambiguous engine verdict agree with either expectation in check mode, and judge the observation in run mode', () => {
      const check = compareCell({ key, expected: 'blocked', explanation: explanation('ambiguous') });
      const run = compareCell({ key, expected: 'blocked', explanation: explanation('ambiguous'), observation: { connectivity: 'allowed' } });
      expect([check.status, check.engineAgrees]).to.deep.equal(['pass', true]);
      expect([run.status, run.engineAgrees, run.engine]).to.deep.equal(['fail', true, 'ambiguous']);
    });

    it('should judge a run-mode cell on the observation and keep the raw outcome', () => {
      const cell = compareCell({ key, expected: 'blocked', explanation: explanation('blocked'), observation: { connectivity: 'allowed', raw: 'connected' } });
      expect(cell).to.include({ status: 'fail', observed: 'allowed', engineAgrees: true, raw: 'connected' });
    });

    it('should never call a probe that could not run blocked: probe-error is an error, and a skipped don\'t-care', () => {
      const error = compareCell({ key, expected: 'blocked', explanation: explanation('blocked'), observation: { connectivity: 'probe-error', raw: 'agent-gone' } });
      const ignored = compareCell({ key, expected: 'ignored', explanation: explanation('blocked'), observation: { connectivity: 'probe-error' } });
      expect([error.status, ignored.status]).to.deep.equal(['error', 'skipped']);
    });

    it('should turn a predicted deviation into expected-fail or unexpected-pass and name it', () => {
      const failing = compareCell({ key, expected: 'blocked', explanation: explanation('blocked'), observation: { connectivity: 'allowed' }, deviation: 'cilium-ipblock' });
      const passing = compareCell({ key, expected: 'blocked', explanation: explanation('blocked'), observation: { connectivity: 'blocked' }, deviation: 'cilium-ipblock' });
      expect([failing.status, failing.deviation, passing.status]).to.deep.equal(['expected-fail', 'cilium-ipblock', 'unexpected-pass']);
    });

    it('should report an interrupted cell as interrupted, observed unknown', () => {
      expect(compareCell({ key, expected: 'allowed', explanation: explanation('allowed'), observation: 'interrupted' })).to.include({ status: 'interrupted', observed: 'unknown', raw: 'interrupted' });
    });
  });
});
