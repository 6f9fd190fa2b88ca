import { expect } from 'chai';
import { defaultParallel, parseParallel } from '../../src/cli/parse-parallel.js';
import { InputError } from '../../src/model/index.js';

describe('parseParallel', () => {
  describe('#parseParallel()', () => {
    it('should accept whole numbers from 1 to 64', () => {
      expect(parseParallel('1')).to.equal(1);
      expect(parseParallel(' 8 ')).to.equal(8);
      expect(parseParallel('64')).to.equal(64);
    });

    it('should reject anything else as bad input naming the flag', () => {
      for (const bad of ['0', '65', '-1', '2.5', 'two', '']) {
        expect(() => parseParallel(bad), bad).to.throw(InputError, /--parallel/);
      }
    });
  });

  describe('#defaultParallel()', () => {
    it('should run three worlds per CPU, at least 1 and at most 64', () => {
      expect(defaultParallel(2)).to.equal(6);
      expect(defaultParallel(1)).to.equal(3);
      expect(defaultParallel(0)).to.equal(1);
      expect(defaultParallel(64)).to.equal(64);
    });
  });
});
