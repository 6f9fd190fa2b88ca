import { expect } from 'chai';
import { requestHeader } from '../../../src/model/l7/index.js';

describe('HttpRequest', () => {
  describe('#requestHeader()', () => {
    it('should find a header by case-insensitive name and keep its value as sent', () => {
      const request = { method: 'GET', path: '/', host: 'h', headers: { 'X-Env': 'Prod' } };
      expect(requestHeader(request, 'x-env')).to.equal('Prod');
      expect(requestHeader(request, 'x-other')).to.equal(undefined);
    });
  });
});
