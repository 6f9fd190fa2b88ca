import { expect } from 'chai';
import fc from 'fast-check';
import { matchesIstioString, parseIstioStringMatch, type IstioStringMatch } from '../../../src/model/index.js';

function parsed(value: string): IstioStringMatch {
  const result = parseIstioStringMatch(value);
  if (!result.ok) throw new Error(result.message);
  return result.matcher;
}

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
      expect(parsed('abc')).to.deep.equal({ kind: 'exact', value: 'abc' });
      expect(parsed('abc*')).to.deep.equal({ kind: 'prefix', value: 'abc' });
      expect(parsed('*abc')).to.deep.equal({ kind: 'suffix', value: 'abc' });
      expect(parsed('*')).to.deep.equal({ kind: 'presence' });
    });

    it('should give a leading star precedence over a trailing one, as istiod does', () => {
      expect(parsed('*abc*')).to.deep.equal({ kind: 'suffix', value: 'abc*' });
    });

    it('should reject an empty value with a message instead of throwing', () => {
      const result = parseIstioStringMatch('');
      expect(result.ok).to.equal(false);
      expect(!result.ok && result.message).to.match(/empty value/);
    });
  });

  describe('#matchesIstioString()', () => {
    it('should match the documented examples (abc*, *abc, *)', () => {
      expect(matchesIstioString(parsed('abc*'), 'abc')).to.equal(true);
      expect(matchesIstioString(parsed('abc*'), 'abcd')).to.equal(true);
      expect(matchesIstioString(parsed('*abc'), 'xyzabc')).to.equal(true);
      expect(matchesIstioString(parsed('*abc'), 'abcx')).to.equal(false);
      expect(matchesIstioString(parsed('*'), 'anything')).to.equal(true);
    });

    it('should need a non-empty value for presence and never match an absent attribute', () => {
      expect(matchesIstioString(parsed('*'), '')).to.equal(false);
      expect(matchesIstioString(parsed('*'), undefined)).to.equal(false);
      expect(matchesIstioString(parsed('GET'), undefined)).to.equal(false);
    });

    it('should be case-sensitive unless asked (hosts are matched ignoring case)', () => {
      expect(matchesIstioString(parsed('GET'), 'get')).to.equal(false);
      expect(matchesIstioString(parsed('*.Example.com'), 'api.example.COM', { ignoreCase: true })).to.equal(true);
    });

    it('should agree with the reference for every pattern and input', () => {
      const text = fc.string({ unit: fc.constantFrom('a', 'b', '*', '/'), maxLength: 6 });
      fc.assert(
        fc.property(text.filter((s) => s !== ''), text, (pattern, input) => {
          expect(matchesIstioString(parsed(pattern), input)).to.equal(reference(pattern, input));
        }),
        { numRuns: 2000 },
      );
    });
  });
});
