import type { CalicoSelector } from './calico-selector.js';

const OPERATORS = { equals: '==', notEquals: '!=', contains: 'contains', startsWith: 'starts with', endsWith: 'ends with' } as const;

/**
 * Selector text that parses back to the same selector: `parseCalicoSelector(printCalicoSelector(s))`
 * equals `s` for every parsed `s`. Parentheses appear only where the tree needs them, values use
 * double quotes unless they contain one (Calico strings have no escapes). Throws a RangeError for a
 * value holding both quote characters, which no Calico selector can spell (the parser never makes one).
 */
export function printCalicoSelector(selector: CalicoSelector): string {
  switch (selector.kind) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${selector.key})`;
    case 'equals':
    case 'notEquals':
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return `${selector.key} ${OPERATORS[selector.kind]} ${quote(selector.value)}`;
    case 'in':
      return `${selector.key} in {${selector.values.map(quote).join(', ')}}`;
    case 'notIn':
      return `${selector.key} not in {${selector.values.map(quote).join(', ')}}`;
    case 'not':
      // `!!x` would parse back as `x`, and `!a && b` as `(!a) && b`: a compound or negated operand keeps its parentheses.
      return `!${grouped(selector.operand, ['not', 'and', 'or'])}`;
    case 'and':
      return selector.operands.map((operand) => grouped(operand, ['and', 'or'])).join(' && ');
    case 'or':
      return selector.operands.map((operand) => grouped(operand, ['or'])).join(' || ');
  }
}

function grouped(selector: CalicoSelector, needParentheses: readonly CalicoSelector['kind'][]): string {
  const text = printCalicoSelector(selector);
  return needParentheses.includes(selector.kind) ? `(${text})` : text;
}

function quote(value: string): string {
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  throw new RangeError(`a Calico selector value cannot hold both ' and ": ${JSON.stringify(value)}`);
}
