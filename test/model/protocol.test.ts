import { expect } from 'chai';
import fc from 'fast-check';
import { PROTOCOLS, parsePortKey } from '../../src/model/index.js';

describe('protocol', () => {
  describe('#parsePortKey()', () => {
    it('should default to TCP and read the protocol in any case', () => {
      expect(parsePortKey('80')).to.deep.equal({ port: 80, protocol: 'TCP' });
      expect(parsePortKey(' 53/udp ')).to.deep.equal({ port: 53, protocol: 'UDP' });
    });

    it('should refuse ports outside 1..65535 and unknown protocols', () => {
      for (const bad of ['0', '65536', '80/ICMP', '80/', 'http', '-1/TCP']) expect(parsePortKey(bad), bad).to.equal(undefined);
    });

    it('should read back every port/protocol it formats', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 65535 }), fc.constantFrom(...PROTOCOLS), (port, protocol) => {
          expect(parsePortKey(`${port}/${protocol}`)).to.deep.equal({ port, protocol });
        }),
      );
    });
  });
});
