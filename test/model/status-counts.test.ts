import { expect } from 'chai';
import { addCounts, countCells, emptyCounts, hasFailures, nothingChecked } from '../../src/model/index.js';

describe('status-counts', () => {
  describe('#countCells()', () => {
    it('should count each status and the engine disagreements apart', () => {
      const c = countCells([
        { status: 'pass', engineAgrees: true },
        { status: 'fail', engineAgrees: false },
        { status: 'skipped', engineAgrees: true },
        { status: 'expected-fail', engineAgrees: true },
        { status: 'interrupted', engineAgrees: true },
      ]);
      expect(c).to.deep.equal({ ...emptyCounts(), pass: 1, fail: 1, skipped: 1, expectedFail: 1, interrupted: 1, engineDisagreements: 1 });
    });
  });

  describe('#countCells() of unsupported cells', () => {
    it('should count unsupported cells apart from skipped ones, and sum them', () => {
      const c = countCells([{ status: 'unsupported', engineAgrees: true }, { status: 'unsupported', engineAgrees: true }, { status: 'skipped', engineAgrees: true }]);
      expect(c).to.deep.equal({ ...emptyCounts(), unsupported: 2, skipped: 1 });
      expect(addCounts(c, c).unsupported).to.equal(4);
      expect(hasFailures(c), 'unsupported is not a failure').to.equal(false);
      expect(nothingChecked(c), 'nor a pass').to.equal(true);
      expect(nothingChecked({ ...c, pass: 1 })).to.equal(false);
    });
  });

  describe('#addCounts()', () => {
    it('should sum every field', () => {
      const one = countCells([{ status: 'error', engineAgrees: true }]);
      expect(addCounts(one, one, emptyCounts())).to.deep.equal({ ...emptyCounts(), error: 2 });
    });
  });

  describe('#hasFailures()', () => {
    it('should fail on an engine disagreement even when every cell passed', () => {
      expect(hasFailures({ ...emptyCounts(), pass: 3 })).to.equal(false);
      expect(hasFailures({ ...emptyCounts(), pass: 3, engineDisagreements: 1 })).to.equal(true);
      expect(hasFailures({ ...emptyCounts(), expectedFail: 1 })).to.equal(false);
    });
  });

  describe('#nothingChecked()', () => {
    it('should say so when every cell was skipped or interrupted, not when one was checked', () => {
      expect(nothingChecked(emptyCounts())).to.equal(true);
      expect(nothingChecked({ ...emptyCounts(), skipped: 4, interrupted: 1 })).to.equal(true);
      expect(nothingChecked({ ...emptyCounts(), skipped: 4, expectedFail: 1 })).to.equal(false);
    });
  });
});
