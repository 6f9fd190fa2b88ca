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

  it('should map a position inside a one-line plain or quoted string, escapes counted as one character', () => {
    const text = "p: a == b\ns: 'it''s x'\nd: \"a\\\"b x\"\nf: >\n  folded x\n";
    const at = (key: string, column: number) => parseYamlText('t.yaml', text).documents[0]!.positionInString([key], 0, column).column;
    expect(at('p', 5)).to.equal(9);
    expect(at('s', 5)).to.equal(11);
    expect(at('d', 4)).to.equal(10);
    expect(at('f', 7), 'a folded scalar maps to its start').to.equal(4);
  });
});

describe('parseYamlText hardening', () => {
  const messages = (text: string) => parseYamlText('h.yaml', text).issues.map((i) => `${i.position.line}:${i.position.column} ${i.message}`);

  it('should resolve 150 references to one anchor in a valid file', () => {
    const text = `v: &v hello\nlist:\n${'  - *v\n'.repeat(150)}`;
    const { documents, issues } = parseYamlText('h.yaml', text);
    expect(issues).to.deep.equal([]);
    expect((documents[0]!.value as { list: string[] }).list).to.have.length(150).and.to.satisfy((l: string[]) => l.every((x) => x === 'hello'));
  });

  it('should merge `<<: *anchor` keys like kubectl', () => {
    const { documents } = parseYamlText('h.yaml', 'base: &b { p: 1, q: 3 }\nx: { <<: *b, p: 2 }\n');
    expect((documents[0]!.value as { x: unknown }).x).to.deep.equal({ p: 2, q: 3 });
  });

  it('should report a merge key whose sources are not maps', () => {
    expect(messages('a: { <<: [1, 2] }\nb: &s x\nc: { <<: *s }\n')).to.deep.equal(['1:6 a merge key (<<) takes a map, an alias of a map, or a list of those', '3:6 a merge key (<<) takes a map, an alias of a map, or a list of those']);
  });

  it('should report an alias to an undefined anchor at the alias', () => {
    expect(messages('a: 1\nb: *nope\n')).to.deep.equal(['2:4 alias *nope refers to no anchor defined before it']);
  });

  it('should report an alias inside the node it refers to', () => {
    expect(messages('a: &x [ 1, *x ]\n')).to.deep.equal(['1:12 alias *x refers to a node that contains it']);
  });

  it('should report !!binary, !!set and unknown tags', () => {
    for (const [text, tag] of [['a: !!binary aGVsbG8=\n', '!!binary'], ['a: !!set { x, y }\n', '!!set'], ['a: !foo bar\n', '!foo'], ['a: !!timestamp 2001-12-14\n', '!!timestamp']] as const) {
      const m = messages(text);
      expect(m, text).to.have.length(1);
      expect(m[0], text).to.match(new RegExp(`^1:\\d+ tag ${tag} is not supported`));
    }
  });

  it('should report a map or list used as a key', () => {
    expect(messages('? [a, b]\n: c\n')).to.deep.equal(['1:3 a map key must be a plain value, not a map or a list']);
  });

  it('should bound what aliases expand to and say so', () => {
    const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    const m = messages(`${lines.join('\n')}\n`);
    expect(m).to.have.length(1);
    expect(m[0]).to.match(/expands to more than 200,000 values, counting each alias as a copy/);
  });

  it('should bound nesting, also where the parser itself would overflow the stack', () => {
    expect(messages(`${'['.repeat(70)}${']'.repeat(70)}\n`)).to.deep.equal(['1:65 maps and lists are nested deeper than 64 levels']);
    const deep = messages(`${'['.repeat(20_000)}${']'.repeat(20_000)}\n`);
    expect(deep).to.have.length(1);
    expect(deep[0]).to.match(/nested deeper than netseg can read \(the limit is 64 levels\)/);
  });

  it('should bound the nesting that aliases build up', () => {
    const lines = [`a0: &a0 ${'['.repeat(30)}x${']'.repeat(30)}`];
    for (let i = 1; i < 5; i++) lines.push(`a${i}: &a${i} ${'['.repeat(30)}*a${i - 1}${']'.repeat(30)}`);
    const m = messages(`${lines.join('\n')}\n`);
    // a1 (60 levels) is still within the limit; every alias of it or of what contains it is not.
    expect(m).to.have.length(3);
    expect(m[0]).to.match(/^3:\d+ alias \*a1 nests maps and lists deeper than 64 levels$/);
  });

  it('should reject control characters in strings', () => {
    expect(messages('name: "a\\e[31mred"\n')).to.deep.equal(['1:7 a string holds the control character U+001B (netseg input is text)']);
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
