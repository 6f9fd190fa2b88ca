import { expect } from 'chai';
import type { CellReport } from '../../../src/model/index.js';
import { changedSince, HEAT_OUTCOMES, heatOutcome, heatSymbol } from '../../../src/report/html/heat-outcome.js';
import { runMixed } from '../fixtures.js';

const base = runMixed().scenarios[0]!.steps[0]!.cells[1]!;

function cell(over: Partial<CellReport>): CellReport {
  return { ...base, ...over };
}

describe('heatOutcome()', () => {
  it('should tell dropped (blocked) from rejected by the raw outcome', () => {
    expect(heatOutcome('run', cell({ observed: 'blocked', raw: 'timeout' }))).to.equal('blocked');
    expect(heatOutcome('run', cell({ observed: 'blocked', raw: 'refused' }))).to.equal('rejected');
    expect(heatOutcome('run', cell({ observed: 'blocked', raw: 'unreachable' }))).to.equal('rejected');
  });

  it('should show a cell refused at L7 as denied (D), apart from a TCP reject', () => {
    expect(heatOutcome('run', cell({ observed: 'denied', raw: 'http 403 RBAC: access denied' }))).to.equal('denied');
    expect(heatOutcome('check', cell({ engine: 'denied', observed: undefined }))).to.equal('denied');
    expect(heatSymbol('denied')).to.equal('D');
    expect(heatSymbol('rejected')).to.equal('R');
  });

  it('should show a probe error as error, never as blocked, and a skipped or unserved cell apart', () => {
    expect(heatOutcome('run', cell({ observed: 'probe-error', status: 'error' }))).to.equal('error');
    expect(heatOutcome('run', cell({ observed: 'allowed', status: 'skipped' }))).to.equal('skipped');
    expect(heatOutcome('check', cell({ engine: 'invalid-port', observed: undefined }))).to.equal('not-served');
    expect(heatOutcome('run', cell({ observed: undefined }))).to.equal('unknown');
  });

  it('should show a cell the provider does not enforce as unsupported, apart from an unserved port', () => {
    expect(heatOutcome('run', cell({ observed: 'unknown', status: 'unsupported' }))).to.equal('unsupported');
    expect(heatSymbol('unsupported')).to.not.equal(heatSymbol('not-served'));
    expect(new Set(HEAT_OUTCOMES.map((o) => o.symbol)).size).to.equal(HEAT_OUTCOMES.length);
  });

  it('should judge the engine in check mode and the observation in run mode', () => {
    const c = cell({ engine: 'blocked', observed: 'allowed' });
    expect(heatOutcome('run', c)).to.equal('allowed');
    expect(heatOutcome('check', cell({ engine: 'blocked', observed: undefined }))).to.equal('blocked');
  });
});

describe('HEAT_OUTCOMES', () => {
  it('should give every outcome its own symbol, so a heat map reads without colour', () => {
    const symbols = HEAT_OUTCOMES.map((o) => o.symbol);
    expect(new Set(symbols).size).to.equal(symbols.length);
    expect(symbols.every((s) => s.length === 1 && !'[](){}'.includes(s))).to.equal(true);
  });
});

describe('changedSince()', () => {
  it('should mark a cell whose outcome or status differs from the previous step, and no first-step cell', () => {
    const before = cell({ observed: 'allowed', status: 'pass' });
    expect(changedSince('run', cell({ observed: 'blocked', raw: 'timeout' }), before)).to.equal(true);
    expect(changedSince('run', cell({ observed: 'allowed', status: 'fail' }), before)).to.equal(true);
    expect(changedSince('run', cell({ observed: 'allowed', status: 'pass' }), before)).to.equal(false);
    expect(changedSince('run', before, undefined)).to.equal(false);
  });
});
