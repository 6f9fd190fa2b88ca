import { expect } from 'chai';
import { servesPort } from '../../src/model/index.js';

describe('servesPort', () => {
  describe('#servesPort()', () => {
    it('should match port and protocol together', () => {
      const host = { ports: [{ port: 80, protocol: 'TCP' as const }] };
      expect(servesPort(host, 80, 'TCP')).to.equal(true);
      expect(servesPort(host, 80, 'UDP')).to.equal(false);
      expect(servesPort(host, 81, 'TCP')).to.equal(false);
    });
  });
});
