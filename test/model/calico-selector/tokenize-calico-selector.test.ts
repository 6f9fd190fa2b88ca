import { expect } from 'chai';
import { tokenizeCalicoSelector } from '../../../src/model/index.js';

function kindsAndColumns(text: string): string[] {
  const result = tokenizeCalicoSelector(text);
  if (!result.ok) throw new Error(`col ${result.column}: ${result.message}`);
  return result.tokens.map((t) => `${t.kind}@${t.column}`);
}

describe('tokenizeCalicoSelector', () => {
  describe('#tokenizeCalicoSelector()', () => {
    it('should give each token the 1-based column where it starts', () => {
      expect(kindsAndColumns(`a == 'b' && has( c )`)).to.deep.equal(['label@1', 'eq@3', 'string@6', 'and@10', 'has@13', 'eof@21']);
      expect(kindsAndColumns(`\t!x not  in {"a",'b'}`)).to.deep.equal([
        'not@2', 'label@3', 'notIn@5', 'lbrace@13', 'string@14', 'comma@17', 'string@18', 'rbrace@21', 'eof@22',
      ]);
    });

    it('should read operator words only right after a label', () => {
      expect(kindsAndColumns('in in {}')).to.deep.equal(['label@1', 'in@4', 'lbrace@7', 'rbrace@8', 'eof@9']);
      expect(kindsAndColumns('a != b')).to.deep.equal(['label@1', 'ne@3', 'label@6', 'eof@7']);
    });

    it('should keep the source text and the unquoted value of strings', () => {
      const result = tokenizeCalicoSelector(`k == "it's"`);
      expect(result.ok && result.tokens[2]).to.deep.equal({ kind: 'string', column: 6, text: `"it's"`, value: "it's" });
    });

    it('should treat only space and tab as whitespace, like Calico', () => {
      expect(tokenizeCalicoSelector('has(a)\r')).to.deep.equal({ ok: false, column: 7, message: 'unexpected character "\\r"' });
    });
  });
});
