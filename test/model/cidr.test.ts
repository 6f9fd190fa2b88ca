import { expect } from 'chai';
import { cidrContains, hasLeadingZero, parseCIDR } from '../../src/model/cidr.js';

describe('cidr', () => {
  describe('#parseCIDR()', () => {
    it('should read IPv4 parts as decimal, leading zeros included, as the API server does', () => {
      expect(parseCIDR('010.0.0.0/8')?.network).to.equal('10.0.0.0');
      expect(cidrContains(parseCIDR('010.0.0.0/8')!, '10.1.2.3')).to.equal(true);
    });

    it('should reject IPv4 short forms, hex parts, parts over 255 and prefixes over 32', () => {
      for (const text of ['10/8', '10.1/16', '0x0a.0.0.0/8', '256.0.0.0/8', '10.0.0.0/33', '10.0.0.0']) expect(parseCIDR(text), text).to.equal(undefined);
    });

    it('should parse IPv6 and clear host bits', () => {
      expect(parseCIDR('fd00::1/64')).to.include({ family: 6, network: 'fd00::', prefix: 64 });
      expect(parseCIDR('10.0.0.5/24')).to.include({ family: 4, network: '10.0.0.0', prefix: 24 });
    });
  });

  describe('#hasLeadingZero()', () => {
    it('should flag a leading zero in any part or the prefix, and nothing else', () => {
      expect(['010.0.0.0/8', '10.0.0.0/08'].map(hasLeadingZero)).to.deep.equal([true, true]);
      expect(['10.0.0.0/8', '0.0.0.0/0', 'fd00::/64'].map(hasLeadingZero)).to.deep.equal([false, false, false]);
    });
  });
});
