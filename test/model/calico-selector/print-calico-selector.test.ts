import { expect } from 'chai';
import { parseCalicoSelector, printCalicoSelector, type CalicoSelector } from '../../../src/model/index.js';

function reprinted(text: string): string {
  const result = parseCalicoSelector(text, { allowGlobal: true });
  if (!result.ok) throw new Error(`col ${result.column}: ${result.message}`);
  return printCalicoSelector(result.selector);
}

describe('printCalicoSelector', () => {
  describe('#printCalicoSelector()', () => {
    it('should print every match operator in its canonical spelling', () => {
      expect(reprinted(`a=='x'`)).to.equal('a == "x"');
      expect(reprinted(`a!='x'`)).to.equal('a != "x"');
      expect(reprinted(`has( a )`)).to.equal('has(a)');
      expect(reprinted(`a in {'y','x'}`)).to.equal('a in {"x", "y"}');
      expect(reprinted(`a notin {}`)).to.equal('a not in {}');
      expect(reprinted(`a contains 'x'`)).to.equal('a contains "x"');
      expect(reprinted(`a startswith 'x'`)).to.equal('a starts with "x"');
      expect(reprinted(`a ends with 'x'`)).to.equal('a ends with "x"');
      expect(reprinted('')).to.equal('all()');
      expect(reprinted('global( )')).to.equal('global()');
    });

    it('should use single quotes only for a value holding a double quote', () => {
      expect(reprinted(`a == 'say "hi"'`)).to.equal(`a == 'say "hi"'`);
      expect(reprinted(`a == "it's"`)).to.equal(`a == "it's"`);
    });

    it('should refuse a value no Calico selector can spell', () => {
      const selector: CalicoSelector = { kind: 'equals', key: 'a', value: `'"` };
      expect(() => printCalicoSelector(selector)).to.throw(RangeError, 'cannot hold both');
    });

    it('should print parentheses only where the tree needs them', () => {
      expect(reprinted('(has(a) && has(b)) || has(c)')).to.equal('has(a) && has(b) || has(c)');
      expect(reprinted('(has(a) || has(b)) && has(c)')).to.equal('(has(a) || has(b)) && has(c)');
      expect(reprinted('(has(a) && has(b)) && has(c)')).to.equal('(has(a) && has(b)) && has(c)');
      expect(reprinted('has(a) || (has(b) || has(c))')).to.equal('has(a) || (has(b) || has(c))');
      expect(reprinted('!(has(a) && has(b))')).to.equal('!(has(a) && has(b))');
      expect(reprinted(`!(a == 'x')`)).to.equal('!a == "x"');
    });

    it('should keep a double negation that came from parentheses', () => {
      expect(reprinted('!(!has(a))')).to.equal('!(!has(a))');
      expect(reprinted('!!has(a)')).to.equal('has(a)');
    });
  });
});
