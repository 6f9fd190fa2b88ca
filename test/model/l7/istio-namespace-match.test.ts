import { expect } from 'chai';
import fc from 'fast-check';
import { matchesIstioNamespace, parseIstioNamespace, type SourceIdentity } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

const inventory: SourceIdentity = { trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'inventory' };

describe('IstioNamespaceMatch', () => {
  describe('#matchesIstioNamespace()', () => {
    it('should match the namespace exactly, and * as a wildcard like istiod regex', () => {
      expect(matchesIstioNamespace(unwrap(parseIstioNamespace('shop')), inventory)).to.equal(true);
      expect(matchesIstioNamespace(unwrap(parseIstioNamespace('sh')), inventory)).to.equal(false);
      expect(matchesIstioNamespace(unwrap(parseIstioNamespace('sh*')), inventory)).to.equal(true);
      expect(matchesIstioNamespace(unwrap(parseIstioNamespace('*')), inventory)).to.equal(true);
      expect(matchesIstioNamespace(unwrap(parseIstioNamespace('shop')), undefined)).to.equal(false);
    });

    it('should keep istiod quirk: a *-suffix ending in "sa" also matches through the /sa/ segment', () => {
      const other: SourceIdentity = { ...inventory, namespace: 'billing' };
      expect(matchesIstioNamespace(unwrap(parseIstioNamespace('*sa')), other)).to.equal(true);
    });

    it('should answer a many-wildcard value against a long principal in bounded time', () => {
      const m = unwrap(parseIstioNamespace('*a*a*a*a*a*a*a*a*b'));
      const long: SourceIdentity = { ...inventory, namespace: 'a'.repeat(20_000) };
      const start = performance.now();
      expect(matchesIstioNamespace(m, long)).to.equal(false);
      expect(performance.now() - start).to.be.below(5_000);
    });

    it('should reject values that are not namespace names (no regex injection)', () => {
      expect(parseIstioNamespace('a.b').ok).to.equal(false);
      expect(parseIstioNamespace('(x)').ok).to.equal(false);
      expect(parseIstioNamespace('').ok).to.equal(false);
    });

    it('should equal "the namespace is the value" for wildcard-free names (bar a namespace called "ns")', () => {
      const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,6}[a-z0-9]$/);
      // istiod's regex also finds "/ns/sa/" inside ".../ns/ns/sa/x": a namespace named "ns" matches the value "sa".
      fc.assert(
        fc.property(label, label.filter((n) => n !== 'ns'), label, (value, namespace, serviceAccount) => {
          const identity = { trustDomain: 'cluster.local', namespace, serviceAccount };
          expect(matchesIstioNamespace(unwrap(parseIstioNamespace(value)), identity)).to.equal(namespace === value);
        }),
        { numRuns: 500 },
      );
    });
  });
});
