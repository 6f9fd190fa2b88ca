import { expect } from 'chai';
import fc from 'fast-check';
import {
  matchesIstioNamespace,
  matchesIstioPrincipal,
  matchesIstioServiceAccount,
  parseIstioNamespace,
  parseIstioPrincipal,
  parseIstioServiceAccount,
  principalOf,
  type SourceIdentity,
} from '../../../src/model/index.js';

const inventory: SourceIdentity = { trustDomain: 'cluster.local', namespace: 'shop', serviceAccount: 'inventory' };

function ok<T>(result: { ok: true; matcher: T } | { ok: false; message: string }): T {
  if (!result.ok) throw new Error(result.message);
  return result.matcher;
}

describe('IstioSourceIdentity', () => {
  describe('#principalOf()', () => {
    it('should spell the SPIFFE principal without its scheme', () => {
      expect(principalOf(inventory)).to.equal('cluster.local/ns/shop/sa/inventory');
    });
  });

  describe('#matchesIstioPrincipal()', () => {
    it('should match the exact, prefix, suffix and presence forms on the principal', () => {
      expect(matchesIstioPrincipal(ok(parseIstioPrincipal('cluster.local/ns/shop/sa/inventory')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(ok(parseIstioPrincipal('cluster.local/ns/shop/*')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(ok(parseIstioPrincipal('*/sa/inventory')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(ok(parseIstioPrincipal('*')), inventory)).to.equal(true);
      expect(matchesIstioPrincipal(ok(parseIstioPrincipal('cluster.local/ns/shop/sa/web')), inventory)).to.equal(false);
    });

    it('should never match a source without an identity (plain text), not even with *', () => {
      expect(matchesIstioPrincipal(ok(parseIstioPrincipal('*')), undefined)).to.equal(false);
    });
  });

  describe('#matchesIstioNamespace()', () => {
    it('should match the namespace exactly, and * as a wildcard like istiod regex', () => {
      expect(matchesIstioNamespace(ok(parseIstioNamespace('shop')), inventory)).to.equal(true);
      expect(matchesIstioNamespace(ok(parseIstioNamespace('sh')), inventory)).to.equal(false);
      expect(matchesIstioNamespace(ok(parseIstioNamespace('sh*')), inventory)).to.equal(true);
      expect(matchesIstioNamespace(ok(parseIstioNamespace('*')), inventory)).to.equal(true);
      expect(matchesIstioNamespace(ok(parseIstioNamespace('shop')), undefined)).to.equal(false);
    });

    it('should keep istiod quirk: a *-suffix ending in "sa" also matches through the /sa/ segment', () => {
      const other: SourceIdentity = { ...inventory, namespace: 'billing' };
      expect(matchesIstioNamespace(ok(parseIstioNamespace('*sa')), other)).to.equal(true);
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
          expect(matchesIstioNamespace(ok(parseIstioNamespace(value)), identity)).to.equal(namespace === value);
        }),
        { numRuns: 500 },
      );
    });
  });

  describe('#matchesIstioServiceAccount()', () => {
    it('should match "<ns>/<sa>" and default a bare name to the policy namespace', () => {
      expect(matchesIstioServiceAccount(ok(parseIstioServiceAccount('shop/inventory', 'other')), inventory)).to.equal(true);
      expect(matchesIstioServiceAccount(ok(parseIstioServiceAccount('inventory', 'shop')), inventory)).to.equal(true);
      expect(matchesIstioServiceAccount(ok(parseIstioServiceAccount('inventory', 'other')), inventory)).to.equal(false);
      expect(matchesIstioServiceAccount(ok(parseIstioServiceAccount('inventory', 'shop')), undefined)).to.equal(false);
    });

    it('should reject wildcards and extra slashes', () => {
      expect(parseIstioServiceAccount('shop/*', 'shop').ok).to.equal(false);
      expect(parseIstioServiceAccount('a/b/c', 'shop').ok).to.equal(false);
      expect(parseIstioServiceAccount('', 'shop').ok).to.equal(false);
    });
  });
});
