import { expect } from 'chai';
import fc from 'fast-check';
import { matchesCiliumHttpRule, parseCiliumHttpRule, type HttpRequest } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

function request(overrides: Partial<HttpRequest> = {}): HttpRequest {
  return { method: 'GET', path: '/', host: 'shoes', headers: {}, ...overrides };
}

describe('CiliumHttpRule', () => {
  describe('#parseCiliumHttpRule()', () => {
    it('should name the field of an invalid regex', () => {
      const result = parseCiliumHttpRule({ method: 'GET', path: '/(a' });
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.message).to.match(/^path: invalid regular expression/);
    });

    it('should reject headerMatches without a name, with an unknown action, or backed by a Secret', () => {
      expect(parseCiliumHttpRule({ headerMatches: [{ value: 'x' }] })).to.deep.equal({ ok: false, message: 'headerMatches[0]: header name missing' });
      expect(parseCiliumHttpRule({ headerMatches: [{ name: 'x', mismatch: 'DROP' }] }).ok).to.equal(false);
      expect(parseCiliumHttpRule({ headerMatches: [{ name: 'x', secret: { name: 's' } }] }).ok).to.equal(false);
    });
  });

  describe('#matchesCiliumHttpRule()', () => {
    it('should allow GET on /public/.* only (the Cilium GET-only example)', () => {
      const r = unwrap(parseCiliumHttpRule({ method: 'GET', path: '/public/.*' }));
      expect(matchesCiliumHttpRule(r, request({ path: '/public/index.html' }))).to.equal(true);
      expect(matchesCiliumHttpRule(r, request({ method: 'POST', path: '/public/index.html' }))).to.equal(false);
      expect(matchesCiliumHttpRule(r, request({ path: '/private' }))).to.equal(false);
    });

    it('should match the path regex against the query string too (:path)', () => {
      expect(matchesCiliumHttpRule(unwrap(parseCiliumHttpRule({ path: '/orders' })), request({ path: '/orders?id=1' }))).to.equal(false);
      expect(matchesCiliumHttpRule(unwrap(parseCiliumHttpRule({ path: '/orders(\\?.*)?' })), request({ path: '/orders?id=1' }))).to.equal(true);
    });

    it('should treat empty fields as unconstrained: an empty rule matches every request', () => {
      expect(matchesCiliumHttpRule(unwrap(parseCiliumHttpRule({})), request({ method: 'DELETE', path: '/x' }))).to.equal(true);
      expect(matchesCiliumHttpRule(unwrap(parseCiliumHttpRule({ method: '', path: '' })), request({ method: 'PUT' }))).to.equal(true);
    });

    it('should match the host against :authority, port included', () => {
      const r = unwrap(parseCiliumHttpRule({ host: 'shoes(:8080)?' }));
      expect(matchesCiliumHttpRule(r, request({ host: 'shoes:8080' }))).to.equal(true);
      expect(matchesCiliumHttpRule(r, request({ host: 'shoes.shop' }))).to.equal(false);
    });

    it('should read headers as "Name value" (exact, a trailing colon dropped) or "Name" (presence)', () => {
      const r = unwrap(parseCiliumHttpRule({ headers: ['X-My-Header: true', 'X-Trace'] }));
      expect(matchesCiliumHttpRule(r, request({ headers: { 'x-my-header': 'true', 'X-TRACE': '' } }))).to.equal(true);
      expect(matchesCiliumHttpRule(r, request({ headers: { 'x-my-header': 'True', 'x-trace': '1' } }))).to.equal(false);
      expect(matchesCiliumHttpRule(r, request({ headers: { 'x-my-header': 'true' } }))).to.equal(false);
    });

    it('should enforce headerMatches without a mismatch action and let a request through with one', () => {
      const strict = unwrap(parseCiliumHttpRule({ headerMatches: [{ name: 'X-Token', value: 'abc' }] }));
      expect(matchesCiliumHttpRule(strict, request({ headers: { 'x-token': 'abc' } }))).to.equal(true);
      expect(matchesCiliumHttpRule(strict, request({ headers: { 'x-token': 'zzz' } }))).to.equal(false);
      const logged = unwrap(parseCiliumHttpRule({ headerMatches: [{ name: 'X-Token', value: 'abc', mismatch: 'LOG' }] }));
      expect(matchesCiliumHttpRule(logged, request({ headers: {} }))).to.equal(true);
    });

    it('should agree with a set-membership reference for literal alternations and prefixes', () => {
      const methods = ['GET', 'POST', 'PUT', 'DELETE'];
      const prefixes = ['/a', '/b', '/a/b'];
      fc.assert(
        fc.property(
          fc.subarray(methods, { minLength: 1 }),
          fc.constantFrom(...prefixes),
          fc.constantFrom(...methods, 'get'),
          fc.string({ unit: fc.constantFrom('/', 'a', 'b', '?'), maxLength: 6 }),
          (allowed, prefix, method, path) => {
            const r = unwrap(parseCiliumHttpRule({ method: allowed.join('|'), path: `${prefix}.*` }));
            const expected = allowed.includes(method) && path.startsWith(prefix);
            expect(matchesCiliumHttpRule(r, request({ method, path }))).to.equal(expected);
          },
        ),
        { numRuns: 2000 },
      );
    });
  });
});
