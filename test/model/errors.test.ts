import { expect } from 'chai';
import { EnvironmentError, InputError } from '../../src/model/index.js';

describe('errors', () => {
  describe('InputError', () => {
    it('should recognise an InputError made by another copy of the module', async () => {
      // A query string makes the loader evaluate the module a second time, as lazy imports under some loaders do.
      const copy = (await import(`../../src/model/errors.js?copy=${Date.now()}`)) as typeof import('../../src/model/errors.js');
      expect(copy.InputError).to.not.equal(InputError);
      expect(new copy.InputError([])).to.be.instanceOf(InputError);
      expect(new copy.EnvironmentError('m', 'h')).to.be.instanceOf(EnvironmentError);
    });

    it('should not take other errors for input or environment errors', () => {
      expect(new Error('x')).to.not.be.instanceOf(InputError);
      expect(new EnvironmentError('m', 'h')).to.not.be.instanceOf(InputError);
      expect(new InputError([])).to.not.be.instanceOf(EnvironmentError);
    });
  });
});
