import { expect } from 'chai';
import fc from 'fast-check';
import { matchesIstioString, parseIstioStringMatch } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

/** Independent reference: the documented rules, written as a glob with at most one leading or trailing star. */
function reference(pattern: string, input: string): boolean {
  if (pattern === '*') return input.length > 0;
  if (pattern.startsWith('*')) return input.length >= pattern.length - 1 && input.slice(input.length - (pattern.length - 1)) === pattern.slice(1);
  if (pattern.endsWith('*')) return input.slice(0, pattern.length - 1) === pattern.slice(0, -1);
  return input === pattern;
}

describe('IstioStringMatch', () => {
  describe('#parseIstioStringMatch()', () => {
    it('should read the four documented forms', () => {
      expect(unwrap(parseIstioStringMatch('abc'))).to.deep.equal({ kind: 'exact', value: 'abc' });
      expect(unwrap(parseIstioStringMatch('abc*'))).to.deep.equal({ kind: 'prefix', value: 'abc' });
      expect(unwrap(parseIstioStringMatch('*abc'))).to.deep.equal({ kind: 'suffix', value: 'abc' });
      expect(unwrap(parseIstioStringMatch('*'))).to.deep.equal({ kind: 'presence' });
    });

    it('should give a leading star precedence over a trailing one, as istiod does', () => {
      expect(unwrap(parseIstioStringMatch('*abc*'))).to.deep.equal({ kind: 'suffix', value: 'abc*' });
    });

    it('should reject an empty value with a message instead of throwing', () => {
      const result = parseIstioStringMatch('');
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.message).to.match(/empty value/);
    });
  });

  describe('#matchesIstioString()', () => {
    it('should match the documented examples (abc*, *abc, *)', () => {
      expect(matchesIstioString(unwrap(parseIstioStringMatch('abc*')), 'abc')).to.equal(true);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('abc*')), 'abcd')).to.equal(true);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('*abc')), 'xyzabc')).to.equal(true);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('*abc')), 'abcx')).to.equal(false);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('*')), 'anything')).to.equal(true);
    });

    it('should need a non-empty value for presence and never match an absent attribute', () => {
      expect(matchesIstioString(unwrap(parseIstioStringMatch('*')), '')).to.equal(false);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('*')), undefined)).to.equal(false);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('GET')), undefined)).to.equal(false);
    });

    it('should be case-sensitive unless asked (hosts are matched ignoring case)', () => {
      expect(matchesIstioString(unwrap(parseIstioStringMatch('GET')), 'get')).to.equal(false);
      expect(matchesIstioString(unwrap(parseIstioStringMatch('*.Example.com')), 'api.example.COM', { ignoreCase: true })).to.equal(true);
    });

    it('should agree with the reference for every pattern and input', () => {
      const text = fc.string({ unit: fc.constantFrom('a', 'b', '*', '/'), maxLength: 6 });
      fc.assert(
        fc.property(text.filter((s) => s !== ''), text, (pattern, input) => {
          expect(matchesIstioString(unwrap(parseIstioStringMatch(pattern)), input)).to.equal(reference(pattern, input));
        }),
        { numRuns: 2000 },
      );
    });
  });
});
