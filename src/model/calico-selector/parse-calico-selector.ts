import type { CalicoSelector } from './calico-selector.js';
import { tokenizeCalicoSelector, type CalicoSelectorToken } from './tokenize-calico-selector.js';

/** Where a selector is used: `global()` is valid only in a rule's `namespaceSelector` (Calico's selector-scopes doc). */
export interface ParseCalicoSelectorOptions {
  readonly allowGlobal?: boolean;
}

/** A parsed selector, or the first error with the 1-based column in the selector text where it was found. */
export type ParseCalicoSelectorResult =
  | { readonly ok: true; readonly selector: CalicoSelector }
  | { readonly ok: false; readonly column: number; readonly message: string };

/** Deeper nesting than any real selector: bounds the recursion so no input can overflow the stack. */
export const MAX_SELECTOR_NESTING = 100;

class SelectorSyntaxError extends Error {
  constructor(readonly column: number, message: string) {
    super(message);
  }
}

const MATCH_KINDS = { eq: 'equals', ne: 'notEquals', contains: 'contains', startsWith: 'startsWith', endsWith: 'endsWith' } as const;

/**
 * Parses Calico selector text with libcalico-go's grammar and precedence (match operators, then
 * parentheses, then `!`, then `&&`, then `||`); empty or blank text is `all()`, as in Calico.
 */
export function parseCalicoSelector(text: string, options: ParseCalicoSelectorOptions = {}): ParseCalicoSelectorResult {
  const lexed = tokenizeCalicoSelector(text);
  if (!lexed.ok) return lexed;
  try {
    return { ok: true, selector: new Parser(lexed.tokens, options.allowGlobal ?? false).parseRoot() };
  } catch (error) {
    if (error instanceof SelectorSyntaxError) return { ok: false, column: error.column, message: error.message };
    throw error;
  }
}

class Parser {
  private at = 0;

  constructor(private readonly tokens: readonly CalicoSelectorToken[], private readonly allowGlobal: boolean) {}

  parseRoot(): CalicoSelector {
    if (this.peek().kind === 'eof') return { kind: 'all' };
    const selector = this.parseOr(0);
    const rest = this.peek();
    if (rest.kind !== 'eof') throw new SelectorSyntaxError(rest.column, `unexpected ${describe(rest)} after a complete expression`);
    return selector;
  }

  private parseOr(depth: number): CalicoSelector {
    return this.parseChain('or', () => this.parseAnd(depth));
  }

  private parseAnd(depth: number): CalicoSelector {
    return this.parseChain('and', () => this.parseOperation(depth));
  }

  // One or more operands joined by `op`: a loop, not recursion, so a long chain cannot overflow the stack.
  private parseChain(op: 'and' | 'or', parseOperand: () => CalicoSelector): CalicoSelector {
    const operands = [parseOperand()];
    while (this.peek().kind === op) {
      this.at++;
      operands.push(parseOperand());
    }
    return operands.length === 1 ? operands[0]! : { kind: op, operands };
  }

  // Any run of `!` collapses to one negation (or none), exactly as libcalico-go's parseOperation does.
  private parseOperation(depth: number): CalicoSelector {
    let negated = false;
    while (this.peek().kind === 'not') {
      negated = !negated;
      this.at++;
    }
    const operand = this.parseMatch(depth);
    return negated ? { kind: 'not', operand } : operand;
  }

  private parseMatch(depth: number): CalicoSelector {
    const previous = this.tokens[this.at - 1];
    const token = this.next();
    switch (token.kind) {
      case 'has':
        return { kind: 'has', key: token.value };
      case 'all':
        return { kind: 'all' };
      case 'global':
        if (!this.allowGlobal) throw new SelectorSyntaxError(token.column, 'global() is only valid in a namespaceSelector');
        return { kind: 'global' };
      case 'label':
        return this.parseLabelMatch(token.value);
      case 'lparen':
        return this.parseParenthesized(token, depth);
      default:
        throw new SelectorSyntaxError(token.column, `expected a match (has(k), k == 'v', all(), ...) or '(' ${where(previous)}, found ${describe(token)}`);
    }
  }

  private parseParenthesized(open: CalicoSelectorToken, depth: number): CalicoSelector {
    if (depth >= MAX_SELECTOR_NESTING) throw new SelectorSyntaxError(open.column, `parentheses nested deeper than ${MAX_SELECTOR_NESTING}`);
    const inner = this.parseOr(depth + 1);
    const close = this.next();
    if (close.kind !== 'rparen') throw new SelectorSyntaxError(close.column, `expected ')' to close the '(' at col ${open.column}, found ${describe(close)}`);
    return inner;
  }

  private parseLabelMatch(key: string): CalicoSelector {
    const operator = this.next();
    switch (operator.kind) {
      case 'eq':
      case 'ne':
      case 'contains':
      case 'startsWith':
      case 'endsWith':
        return { kind: MATCH_KINDS[operator.kind], key, value: this.expectString(`${key} ${operator.text}`) };
      case 'in':
      case 'notIn':
        return { kind: operator.kind, key, values: this.parseSet(`${key} ${operator.text}`) };
      default:
        throw new SelectorSyntaxError(operator.column, `expected an operator (==, !=, in, not in, contains, starts with, ends with) after "${key}", found ${describe(operator)}`);
    }
  }

  private expectString(after: string): string {
    const token = this.next();
    if (token.kind !== 'string') throw new SelectorSyntaxError(token.column, `expected a quoted string after "${after}", found ${describe(token)}`);
    return token.value;
  }

  // Calico accepts `{}` and a trailing comma (`{'a',}`); the set is sorted and deduplicated like its StringSet.
  private parseSet(after: string): readonly string[] {
    const open = this.next();
    if (open.kind !== 'lbrace') throw new SelectorSyntaxError(open.column, `expected '{' after "${after}", found ${describe(open)}`);
    const values = new Set<string>();
    for (let token = this.peek(); token.kind === 'string'; token = this.peek()) {
      values.add(token.value);
      this.at++;
      if (this.peek().kind !== 'comma') break;
      this.at++;
    }
    const close = this.next();
    if (close.kind !== 'rbrace') throw new SelectorSyntaxError(close.column, `expected a quoted string or '}' in the set after "${after} {", found ${describe(close)}`);
    return [...values].sort();
  }

  private peek(): CalicoSelectorToken {
    return this.tokens[this.at]!;
  }

  // The eof token is never consumed, so every lookahead past the end sees eof again.
  private next(): CalicoSelectorToken {
    const token = this.tokens[this.at]!;
    if (token.kind !== 'eof') this.at++;
    return token;
  }
}

function describe(token: CalicoSelectorToken): string {
  return token.kind === 'eof' ? 'the end of the selector' : JSON.stringify(token.text);
}

function where(previous: CalicoSelectorToken | undefined): string {
  return previous === undefined ? 'at the start' : `after "${previous.text}"`;
}
