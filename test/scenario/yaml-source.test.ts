import { expect } from 'chai';
import { parseYamlFile, parseYamlText } from '../../src/scenario/yaml-source.js';

describe('parseYamlText', () => {
  it('should return every document with positions of nested keys', () => {
    const { documents, issues } = parseYamlText('f.yaml', 'a: 1\nspec:\n  steps:\n    - name: s\n      expect: { rules: [ { from: x/a } ] }\n---\nb: 2\n');
    expect(issues).to.deep.equal([]);
    expect(documents.map((d) => d.index)).to.deep.equal([0, 1]);
    expect(documents[0]!.positionOf(['spec', 'steps', 0, 'name'])).to.deep.equal({ file: 'f.yaml', line: 4, column: 7 });
    expect(documents[0]!.positionOf(['spec', 'steps', 0, 'expect', 'rules', 0, 'from'])).to.deep.equal({ file: 'f.yaml', line: 5, column: 28 });
    expect(documents[1]!.positionOf(['b'])).to.deep.equal({ file: 'f.yaml', line: 7, column: 1 });
  });

  it('should fall back to the nearest existing node for a missing path', () => {
    const { documents } = parseYamlText('f.yaml', 'metadata:\n  name: x\n');
    expect(documents[0]!.positionOf(['metadata', 'namespace'])).to.deep.equal({ file: 'f.yaml', line: 1, column: 1 });
  });

  it('should report syntax errors and duplicate keys as issues with line and column', () => {
    const { issues } = parseYamlText('g.yaml', 'a: 1\na: 2\n');
    expect(issues).to.have.length(1);
    expect(issues[0]!.position).to.deep.equal({ file: 'g.yaml', line: 2, column: 1 });
    expect(issues[0]!.message).to.match(/unique/);
  });

  it('should map a position inside a block literal back to the source', () => {
    const text = 'tables:\n  t: |\n    - x/a\n    x/a  Q\n';
    const { documents } = parseYamlText('t.yaml', text);
    expect(documents[0]!.positionInString(['tables', 't'], 1, 5)).to.deep.equal({ file: 't.yaml', line: 4, column: 10 });
  });
});

describe('parseYamlFile', () => {
  it('should turn an unreadable file into one issue at 1:1', () => {
    const { documents, issues } = parseYamlFile('/nonexistent/x.yaml');
    expect(documents).to.deep.equal([]);
    expect(issues).to.have.length(1);
    expect(issues[0]!.position).to.deep.equal({ file: '/nonexistent/x.yaml', line: 1, column: 1 });
  });
});
