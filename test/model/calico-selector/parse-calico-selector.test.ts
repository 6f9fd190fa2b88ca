import { expect } from 'chai';
import { MAX_SELECTOR_NESTING, parseCalicoSelector, type CalicoSelector } from '../../../src/model/index.js';

function parsed(text: string, allowGlobal = false): CalicoSelector {
  const result = parseCalicoSelector(text, { allowGlobal });
  if (!result.ok) throw new Error(`col ${result.column}: ${result.message}`);
  return result.selector;
}

function failure(text: string, allowGlobal = false): string {
  const result = parseCalicoSelector(text, { allowGlobal });
  if (result.ok) throw new Error(`${JSON.stringify(text)} parsed`);
  return `col ${result.column}: ${result.message}`;
}

const has = (key: string): CalicoSelector => ({ kind: 'has', key });
const eq = (key: string, value: string): CalicoSelector => ({ kind: 'equals', key, value });

describe('parseCalicoSelector', () => {
  describe('#parseCalicoSelector() match operators', () => {
    it('should parse an empty or blank selector as all(), as Calico does', () => {
      expect(parsed('')).to.deep.equal({ kind: 'all' });
      expect(parsed(' \t ')).to.deep.equal({ kind: 'all' });
      expect(parsed('all()')).to.deep.equal({ kind: 'all' });
      expect(parsed('all( )')).to.deep.equal({ kind: 'all' });
    });

    it('should parse == and != with single or double quotes', () => {
      expect(parsed(`app == 'web'`)).to.deep.equal(eq('app', 'web'));
      expect(parsed('app=="web"')).to.deep.equal(eq('app', 'web'));
      expect(parsed(`app != "it's"`)).to.deep.equal({ kind: 'notEquals', key: 'app', value: "it's" });
      expect(parsed(`app == 'say "hi"'`)).to.deep.equal(eq('app', 'say "hi"'));
    });

    it('should keep a string exactly as written: no escapes, spaces and operators are text', () => {
      expect(parsed(`a == ' x && y \\n'`)).to.deep.equal(eq('a', ' x && y \\n'));
      expect(parsed(`a == ''`)).to.deep.equal(eq('a', ''));
    });

    it('should parse has(k) with spaces inside the parentheses', () => {
      expect(parsed('has(app)')).to.deep.equal(has('app'));
      expect(parsed('has( app )')).to.deep.equal(has('app'));
    });

    it('should accept label keys with DNS prefixes, dots, dashes and underscores', () => {
      expect(parsed(`projectcalico.org/namespace == 'prod'`)).to.deep.equal(eq('projectcalico.org/namespace', 'prod'));
      expect(parsed('has(app.kubernetes.io/name)')).to.deep.equal(has('app.kubernetes.io/name'));
      expect(parsed(`my_label-2 == 'x'`)).to.deep.equal(eq('my_label-2', 'x'));
    });

    it('should parse in and not in as sorted, deduplicated sets, accepting {} and a trailing comma like Calico', () => {
      expect(parsed(`role in {'b', "a", 'b'}`)).to.deep.equal({ kind: 'in', key: 'role', values: ['a', 'b'] });
      expect(parsed(`role not in {}`)).to.deep.equal({ kind: 'notIn', key: 'role', values: [] });
      expect(parsed(`role in {'a',}`)).to.deep.equal({ kind: 'in', key: 'role', values: ['a'] });
      expect(parsed(`role notin{'a'}`)).to.deep.equal({ kind: 'notIn', key: 'role', values: ['a'] });
    });

    it('should parse contains, starts with and ends with (also without the space, as Calico does)', () => {
      expect(parsed(`name contains 'db'`)).to.deep.equal({ kind: 'contains', key: 'name', value: 'db' });
      expect(parsed(`name starts with 'prod'`)).to.deep.equal({ kind: 'startsWith', key: 'name', value: 'prod' });
      expect(parsed(`name startswith 'prod'`)).to.deep.equal({ kind: 'startsWith', key: 'name', value: 'prod' });
      expect(parsed(`name ends  with '-1'`)).to.deep.equal({ kind: 'endsWith', key: 'name', value: '-1' });
    });

    it('should read operator words as label keys where a key is expected', () => {
      expect(parsed(`in == 'x' && contains == 'y'`)).to.deep.equal({ kind: 'and', operands: [eq('in', 'x'), eq('contains', 'y')] });
      expect(parsed(`hasx == 'x'`)).to.deep.equal(eq('hasx', 'x'));
    });

    it('should accept global() only where the caller allows it (a namespaceSelector)', () => {
      expect(parsed('global()', true)).to.deep.equal({ kind: 'global' });
      expect(failure('global()')).to.equal('col 1: global() is only valid in a namespaceSelector');
      expect(failure(`has(a) || global()`)).to.equal('col 11: global() is only valid in a namespaceSelector');
    });
  });

  describe('#parseCalicoSelector() logic and precedence', () => {
    it('should bind && tighter than || and build n-ary nodes', () => {
      expect(parsed('has(a) || has(b) && has(c) || has(d)')).to.deep.equal({
        kind: 'or',
        operands: [has('a'), { kind: 'and', operands: [has('b'), has('c')] }, has('d')],
      });
      expect(parsed('has(a)&&has(b)&&has(c)')).to.deep.equal({ kind: 'and', operands: [has('a'), has('b'), has('c')] });
    });

    it('should bracket the example of Calico\'s selector reference as the reference says', () => {
      expect(parsed(`! has(my-label) || my-label starts with 'prod' && role in {'frontend','business'}`)).to.deep.equal({
        kind: 'or',
        operands: [
          { kind: 'not', operand: has('my-label') },
          { kind: 'and', operands: [{ kind: 'startsWith', key: 'my-label', value: 'prod' }, { kind: 'in', key: 'role', values: ['business', 'frontend'] }] },
        ],
      });
    });

    it('should apply ! to the whole match operation and bind it tighter than &&', () => {
      expect(parsed(`!a == 'b' && has(c)`)).to.deep.equal({ kind: 'and', operands: [{ kind: 'not', operand: eq('a', 'b') }, has('c')] });
      expect(parsed('!(has(a) || has(b))')).to.deep.equal({ kind: 'not', operand: { kind: 'or', operands: [has('a'), has('b')] } });
      expect(parsed('!all()')).to.deep.equal({ kind: 'not', operand: { kind: 'all' } });
    });

    it('should collapse a run of ! like Calico, but keep a negation inside parentheses', () => {
      expect(parsed('!!has(a)')).to.deep.equal(has('a'));
      expect(parsed('!!!has(a)')).to.deep.equal({ kind: 'not', operand: has('a') });
      expect(parsed('!(!has(a))')).to.deep.equal({ kind: 'not', operand: { kind: 'not', operand: has('a') } });
    });

    it('should keep the grouping parentheses give', () => {
      expect(parsed('(has(a) && has(b)) && has(c)')).to.deep.equal({
        kind: 'and',
        operands: [{ kind: 'and', operands: [has('a'), has('b')] }, has('c')],
      });
      expect(parsed('((has(a)))')).to.deep.equal(has('a'));
    });
  });

  describe('#parseCalicoSelector() errors', () => {
    const cases: readonly [string, string][] = [
      [`a == 'b' && has(app`, `col 20: expected ')' after "has(app"`],
      ['has(', 'col 5: expected a label key after "has("'],
      ['has()', 'col 5: expected a label key after "has("'],
      ['all(x)', `col 5: expected ')' after "all("`],
      [`a == 'b`, 'col 6: unterminated string: no closing \''],
      [`a = 'b'`, 'col 3: expected "==", found "="'],
      [`has(a) & has(b)`, 'col 8: expected "&&", found "&"'],
      [`has(a) | has(b)`, 'col 8: expected "||", found "|"'],
      [`a == b`, 'col 6: expected a quoted string after "a ==", found "b"'],
      [`a starts 'x'`, 'col 10: expected "with" after "starts"'],
      [`a not {'x'}`, 'col 7: expected "in" after "not"'],
      [`a in 'x'`, `col 6: expected '{' after "a in", found "'x'"`],
      [`a in {'x' 'y'}`, `col 11: expected a quoted string or '}' in the set after "a in {", found "'y'"`],
      [`a in {'x'`, `col 10: expected a quoted string or '}' in the set after "a in {", found the end of the selector`],
      [`a in {,}`, `col 7: expected a quoted string or '}' in the set after "a in {", found ","`],
      [`a has(b)`, 'col 3: expected an operator (==, !=, in, not in, contains, starts with, ends with) after "a", found "has(b)"'],
      ['a', 'col 2: expected an operator (==, !=, in, not in, contains, starts with, ends with) after "a", found the end of the selector'],
      [`has(a) &&`, `col 10: expected a match (has(k), k == 'v', all(), ...) or '(' after "&&", found the end of the selector`],
      [`&& has(a)`, `col 1: expected a match (has(k), k == 'v', all(), ...) or '(' at the start, found "&&"`],
      [`(has(a)`, `col 8: expected ')' to close the '(' at col 1, found the end of the selector`],
      [`has(a))`, 'col 7: unexpected ")" after a complete expression'],
      [`has(a) has(b)`, 'col 8: unexpected "has(b)" after a complete expression'],
      ['has(a)\n&& has(b)', 'col 7: unexpected character "\\n"'],
      ['a == "é" && ü', 'col 13: unexpected character "ü"'],
      ['has (a)', `col 5: expected an operator (==, !=, in, not in, contains, starts with, ends with) after "has", found "("`],
    ];
    for (const [text, expected] of cases) {
      it(`should reject ${JSON.stringify(text)} naming the column`, () => {
        expect(failure(text)).to.equal(expected);
      });
    }

    it('should bound nesting instead of overflowing the stack', () => {
      const deep = `${'('.repeat(200_000)}has(a)${')'.repeat(200_000)}`;
      expect(failure(deep)).to.equal(`col ${MAX_SELECTOR_NESTING + 1}: parentheses nested deeper than ${MAX_SELECTOR_NESTING}`);
      const allowed = `${'('.repeat(MAX_SELECTOR_NESTING)}has(a)${')'.repeat(MAX_SELECTOR_NESTING)}`;
      expect(parsed(allowed)).to.deep.equal(has('a'));
    });

    it('should parse long flat chains and runs of ! without recursion per operand', () => {
      const chain = Array.from({ length: 50_000 }, (_, i) => `has(k${i})`).join(' || ');
      const selector = parsed(chain);
      expect(selector.kind === 'or' && selector.operands.length).to.equal(50_000);
      expect(parsed(`${'!'.repeat(100_001)}has(a)`)).to.deep.equal({ kind: 'not', operand: has('a') });
    });
  });
});
