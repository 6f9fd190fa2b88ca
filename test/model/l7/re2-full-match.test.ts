import { expect } from 'chai';
import { compileFullMatchRegex, MAX_REGEX_LENGTH } from '../../../src/model/l7/index.js';
import { unwrap } from './unwrap.js';

function rejection(pattern: string): string {
  const result = compileFullMatchRegex(pattern);
  if (result.ok) throw new Error(`${pattern} was accepted`);
  return result.message;
}

/** Runs `fn` and returns how long it took in milliseconds. */
function elapsed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

describe('FullMatchRegex', () => {
  describe('#compileFullMatchRegex()', () => {
    it('should anchor at both ends, as Envoy safe_regex does', () => {
      expect(unwrap(compileFullMatchRegex('/public/.*')).matches('/public/a')).to.equal(true);
      expect(unwrap(compileFullMatchRegex('/public/.*')).matches('/x/public/a')).to.equal(false);
      expect(unwrap(compileFullMatchRegex('GET')).matches('GETX')).to.equal(false);
      expect(unwrap(compileFullMatchRegex('GET|HEAD')).matches('HEAD')).to.equal(true);
    });

    it('should accept POSIX bracket classes and interval expressions', () => {
      expect(unwrap(compileFullMatchRegex('/v[[:digit:]]{1,2}/.*')).matches('/v12/items')).to.equal(true);
      expect(unwrap(compileFullMatchRegex('/v[[:digit:]]{1,2}/.*')).matches('/v123/items')).to.equal(false);
    });

    it('should reject backreferences and lookaround with a message naming RE2', () => {
      expect(rejection('(a)\\1')).to.match(/backreferences are not supported/);
      expect(rejection('(?=a)a')).to.match(/lookaround is not supported/);
      expect(rejection('(?!a)b')).to.match(/lookaround is not supported/);
      expect(rejection('(?<=a)b')).to.match(/lookaround|invalid/);
    });

    it('should reject invalid syntax and overlong patterns instead of throwing', () => {
      expect(rejection('(a|b')).to.match(/missing closing \)/);
      expect(rejection('a{1001}')).to.match(/invalid repeat count/);
      expect(rejection('a'.repeat(MAX_REGEX_LENGTH + 1))).to.match(/at most 1024/);
    });

    it('should match classic ReDoS patterns against adversarial input in bounded time', function () {
      this.timeout(20_000);
      const input = `${'a'.repeat(20_000)}!`;
      for (const pattern of ['(a+)+$', '(a|a)*b', '(a|aa)+c', '([a-zA-Z]+)*x', '(.*a){12}', '(a*)*b', '/(.+/)*x']) {
        const regex = unwrap(compileFullMatchRegex(pattern));
        const ms = elapsed(() => expect(regex.matches(input), pattern).to.equal(false));
        // A backtracking engine needs longer than the age of the universe here; RE2 is linear in the input.
        expect(ms, pattern).to.be.below(5_000);
      }
    });
  });
});
