import { expect } from 'chai';
import fc from 'fast-check';
import { matchesIstioPath, parseIstioPathMatch, stripQueryAndFragment } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

function rejection(value: string): string {
  const result = parseIstioPathMatch(value);
  if (result.ok) throw new Error(`${value} was accepted`);
  return result.message;
}

/** Independent reference for templates: backtracking over tokens, {*} = one non-empty segment, {**} = anything. */
function templateReference(template: string, path: string): boolean {
  const tokens = template.split(/(\{\*\*\}|\{\*\})/).filter((t) => t !== '');
  const go = (t: number, at: number): boolean => {
    if (t === tokens.length) return at === path.length;
    const token = tokens[t]!;
    if (token === '{**}') {
      for (let end = at; end <= path.length; end++) if (go(t + 1, end)) return true;
      return false;
    }
    if (token === '{*}') {
      for (let end = at + 1; end <= path.length && path[end - 1] !== '/'; end++) if (go(t + 1, end)) return true;
      return false;
    }
    return path.startsWith(token, at) && go(t + 1, at + token.length);
  };
  return go(0, 0);
}

describe('IstioPathMatch', () => {
  describe('#parseIstioPathMatch()', () => {
    it('should treat paths without templates as Istio string matches', () => {
      expect(unwrap(parseIstioPathMatch('/info*'))).to.deep.equal({ kind: 'string', match: { kind: 'prefix', value: '/info' } });
      expect(unwrap(parseIstioPathMatch('*.html'))).to.deep.equal({ kind: 'string', match: { kind: 'suffix', value: '.html' } });
    });

    it('should reject what istiod rejects: named variables, empty braces, bare * or ** beside a slash', () => {
      expect(rejection('/foo/{bar}/{*}')).to.match(/unsupported path template/);
      expect(rejection('/{x=*}/{*}')).to.match(/unsupported path template/);
      expect(rejection('/{}/{*}')).to.match(/unsupported path template/);
      expect(rejection('/foo/*/{*}')).to.match(/unsupported path template/);
      expect(rejection('/{*}/**')).to.match(/unsupported path template/);
    });

    it('should reject what Envoy rejects: {**} before another operator, glued prefixes, bad literals', () => {
      expect(rejection('/{**}/{*}')).to.match(/last operator/);
      expect(rejection('/api{**}')).to.match(/not a valid literal/);
      expect(rejection('/a b/{*}')).to.match(/printable ASCII/);
      expect(rejection('/a//{*}')).to.match(/not a valid literal/);
      expect(rejection('foo/{*}')).to.match(/start with "\/"/);
    });
  });

  describe('#matchesIstioPath()', () => {
    it('should match one segment with {*} (Envoy uri_template: [pchar]+)', () => {
      const m = unwrap(parseIstioPathMatch('/foo/{*}'));
      expect(matchesIstioPath(m, '/foo/bar')).to.equal(true);
      expect(matchesIstioPath(m, '/foo/bar/baz')).to.equal(false);
      expect(matchesIstioPath(m, '/foo/')).to.equal(false);
    });

    it('should match any depth with {**}, including none after the slash', () => {
      const m = unwrap(parseIstioPathMatch('/foo/{**}'));
      expect(matchesIstioPath(m, '/foo/bar/baz')).to.equal(true);
      expect(matchesIstioPath(m, '/foo/')).to.equal(true);
      expect(matchesIstioPath(m, '/foo')).to.equal(false);
    });

    it('should allow literals after {**} and a suffix right after an operator', () => {
      expect(matchesIstioPath(unwrap(parseIstioPathMatch('/{**}/edit')), '/a/b/edit')).to.equal(true);
      expect(matchesIstioPath(unwrap(parseIstioPathMatch('/{**}/edit')), '/a/b/view')).to.equal(false);
      expect(matchesIstioPath(unwrap(parseIstioPathMatch('/files/{*}.txt')), '/files/a.txt')).to.equal(true);
      expect(matchesIstioPath(unwrap(parseIstioPathMatch('/files/{*}.txt')), '/files/a.pdf')).to.equal(false);
    });

    it('should ignore the query string and fragment, for string matches and templates', () => {
      expect(matchesIstioPath(unwrap(parseIstioPathMatch('/orders')), '/orders?id=1')).to.equal(true);
      expect(matchesIstioPath(unwrap(parseIstioPathMatch('/orders/{*}')), '/orders/7#top')).to.equal(true);
      expect(stripQueryAndFragment('/a?b#c')).to.equal('/a');
    });

    it('should answer adversarial paths against {**} templates in bounded time (RE2, linear)', () => {
      const m = unwrap(parseIstioPathMatch('/{**}/a'));
      const start = performance.now();
      expect(matchesIstioPath(m, `/${'a/'.repeat(50_000)}b`)).to.equal(false);
      expect(performance.now() - start).to.be.below(5_000);
    });

    it('should agree with the reference for random templates and paths', () => {
      const segment = fc.constantFrom('a', 'b', 'ab', '{*}');
      const template = fc
        .tuple(fc.array(segment, { maxLength: 3 }), fc.boolean(), fc.boolean())
        .map(([segments, anyTail, trailingSlash]) => `/${[...segments, ...(anyTail ? ['{**}'] : [])].join('/')}${trailingSlash && !anyTail ? '/' : ''}`)
        .filter((t) => t.includes('{'));
      const path = fc.string({ unit: fc.constantFrom('a', 'b', '/', '?'), maxLength: 9 }).map((s) => `/${s}`);
      fc.assert(
        fc.property(template, path, (t, p) => {
          expect(matchesIstioPath(unwrap(parseIstioPathMatch(t)), p), `${t} vs ${p}`).to.equal(templateReference(t, stripQueryAndFragment(p)));
        }),
        { numRuns: 3000 },
      );
    });
  });
});
