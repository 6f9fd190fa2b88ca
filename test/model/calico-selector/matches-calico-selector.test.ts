import { expect } from 'chai';
import { matchesCalicoSelector, parseCalicoSelector, type Labels } from '../../../src/model/index.js';

function matches(text: string, labels: Labels, nonNamespaced = false): boolean {
  const result = parseCalicoSelector(text, { allowGlobal: true });
  if (!result.ok) throw new Error(`col ${result.column}: ${result.message}`);
  return matchesCalicoSelector(result.selector, labels, { nonNamespaced });
}

describe('matchesCalicoSelector', () => {
  describe('#matchesCalicoSelector()', () => {
    it('should match everything with all() and nothing with !all()', () => {
      expect(matches('all()', {})).to.equal(true);
      expect(matches('', { a: 'b' })).to.equal(true);
      expect(matches('!all()', { a: 'b' })).to.equal(false);
    });

    it('should match global() only for a non-namespaced resource', () => {
      expect(matches('global()', {}, true)).to.equal(true);
      expect(matches('global()', { 'projectcalico.org/name': 'prod' })).to.equal(false);
    });

    it('should need the label for ==, and match != also when the label is absent', () => {
      expect(matches(`app == 'web'`, { app: 'web' })).to.equal(true);
      expect(matches(`app == 'web'`, { app: 'db' })).to.equal(false);
      expect(matches(`app == 'web'`, {})).to.equal(false);
      expect(matches(`app != 'web'`, { app: 'web' })).to.equal(false);
      expect(matches(`app != 'web'`, { app: 'db' })).to.equal(true);
      expect(matches(`app != 'web'`, {})).to.equal(true);
    });

    it('should match an empty value only when the label is present and empty', () => {
      expect(matches(`app == ''`, { app: '' })).to.equal(true);
      expect(matches(`app == ''`, {})).to.equal(false);
      expect(matches(`app != ''`, {})).to.equal(true);
    });

    it('should test presence with has(k) and absence with !has(k)', () => {
      expect(matches('has(app)', { app: '' })).to.equal(true);
      expect(matches('has(app)', { other: 'app' })).to.equal(false);
      expect(matches('!has(app)', {})).to.equal(true);
      expect(matches('!has(app)', { app: 'x' })).to.equal(false);
    });

    it('should need the label for in, and match not in also when the label is absent', () => {
      expect(matches(`role in {'a', 'b'}`, { role: 'b' })).to.equal(true);
      expect(matches(`role in {'a', 'b'}`, { role: 'c' })).to.equal(false);
      expect(matches(`role in {'a', 'b'}`, {})).to.equal(false);
      expect(matches(`role in {}`, { role: '' })).to.equal(false);
      expect(matches(`role not in {'a', 'b'}`, { role: 'a' })).to.equal(false);
      expect(matches(`role not in {'a', 'b'}`, { role: 'c' })).to.equal(true);
      expect(matches(`role not in {'a', 'b'}`, {})).to.equal(true);
      expect(matches(`role not in {}`, { role: 'a' })).to.equal(true);
    });

    it('should need the label for contains, starts with and ends with', () => {
      expect(matches(`n contains 'ro'`, { n: 'prod' })).to.equal(true);
      expect(matches(`n contains ''`, { n: 'x' })).to.equal(true);
      expect(matches(`n contains ''`, {})).to.equal(false);
      expect(matches(`n starts with 'pr'`, { n: 'prod' })).to.equal(true);
      expect(matches(`n starts with 'ro'`, { n: 'prod' })).to.equal(false);
      expect(matches(`n ends with 'od'`, { n: 'prod' })).to.equal(true);
      expect(matches(`n ends with 'pr'`, { n: 'prod' })).to.equal(false);
      expect(matches(`n ends with 'x'`, {})).to.equal(false);
    });

    it('should match values case-sensitively', () => {
      expect(matches(`app == 'Web'`, { app: 'web' })).to.equal(false);
      expect(matches(`app contains 'W'`, { app: 'web' })).to.equal(false);
    });

    it('should combine with !, && and || as Calico\'s reference example says', () => {
      const sel = `! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}`;
      expect(matches(sel, {})).to.equal(true);
      expect(matches(sel, { 'my-label': 'production', role: 'business' })).to.equal(true);
      expect(matches(sel, { 'my-label': 'production', role: 'db' })).to.equal(false);
      expect(matches(sel, { 'my-label': 'dev', role: 'frontend' })).to.equal(false);
    });

    it('should match prefixed keys such as projectcalico.org/namespace exactly', () => {
      expect(matches(`projectcalico.org/namespace == 'prod'`, { 'projectcalico.org/namespace': 'prod' })).to.equal(true);
      expect(matches(`projectcalico.org/namespace == 'prod'`, { namespace: 'prod' })).to.equal(false);
    });

    it('should not find inherited properties for keys like constructor or __proto__', () => {
      expect(matches('has(constructor)', {})).to.equal(false);
      expect(matches('has(__proto__)', {})).to.equal(false);
      expect(matches(`toString != 'x'`, {})).to.equal(true);
    });
  });
});
