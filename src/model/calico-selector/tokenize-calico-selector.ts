/** One token of a Calico selector, with the 1-based column (UTF-16 units) where it starts and its source text. */
export type CalicoSelectorToken =
  | { readonly kind: 'label' | 'string' | 'has'; readonly column: number; readonly text: string; readonly value: string }
  | {
      readonly kind:
        | 'lbrace' | 'rbrace' | 'comma' | 'lparen' | 'rparen' | 'eq' | 'ne' | 'not' | 'and' | 'or'
        | 'in' | 'notIn' | 'contains' | 'startsWith' | 'endsWith' | 'all' | 'global' | 'eof';
      readonly column: number;
      readonly text: string;
    };

/** The tokens of a selector (the last is `eof`), or the first lexical error with its column. */
export type TokenizeResult =
  | { readonly ok: true; readonly tokens: readonly CalicoSelectorToken[] }
  | { readonly ok: false; readonly column: number; readonly message: string };

// Calico's whitespace is only space and tab (libcalico-go selector/tokenizer): a line feed is an error there too.
const SPACE = /[ \t]*/y;
// Label keys: libcalico-go's findIdentifier accepts exactly these characters (prefixes like `app.kubernetes.io/name` included).
const IDENTIFIER = /[a-zA-Z0-9_./-]+/y;

const SINGLE: Readonly<Record<string, 'lparen' | 'rparen' | 'lbrace' | 'rbrace' | 'comma'>> = {
  '(': 'lparen', ')': 'rparen', '{': 'lbrace', '}': 'rbrace', ',': 'comma',
};
const DOUBLE: Readonly<Record<string, 'eq' | 'and' | 'or'>> = { '=': 'eq', '&': 'and', '|': 'or' };

// After a label Calico looks only for an operator word, matched as a prefix ("a in{...}", "startswith" are accepted).
const OPERATOR_WORDS: readonly { readonly first: string; readonly second?: string; readonly kind: 'contains' | 'startsWith' | 'endsWith' | 'notIn' | 'in' }[] = [
  { first: 'contains', kind: 'contains' },
  { first: 'starts', second: 'with', kind: 'startsWith' },
  { first: 'ends', second: 'with', kind: 'endsWith' },
  { first: 'not', second: 'in', kind: 'notIn' },
  { first: 'in', kind: 'in' },
];

/** Splits a selector into tokens the way libcalico-go's tokenizer does, keeping each token's column. */
export function tokenizeCalicoSelector(input: string): TokenizeResult {
  const tokens: CalicoSelectorToken[] = [];
  let at = skipSpace(input, 0);
  while (at < input.length) {
    const step = nextToken(input, at, tokens[tokens.length - 1]);
    if ('message' in step) return { ok: false, column: step.at + 1, message: step.message };
    tokens.push(step.token);
    at = skipSpace(input, step.end);
  }
  tokens.push({ kind: 'eof', column: input.length + 1, text: '' });
  return { ok: true, tokens };
}

type Step = { readonly token: CalicoSelectorToken; readonly end: number } | { readonly at: number; readonly message: string };

function nextToken(input: string, at: number, previous: CalicoSelectorToken | undefined): Step {
  const c = input.charAt(at);
  const column = at + 1;
  const single = SINGLE[c];
  if (single !== undefined) return { token: { kind: single, column, text: c }, end: at + 1 };
  if (c === '"' || c === "'") return quoted(input, at);
  if (c === '!') {
    if (input.charAt(at + 1) === '=') return { token: { kind: 'ne', column, text: '!=' }, end: at + 2 };
    return { token: { kind: 'not', column, text: '!' }, end: at + 1 };
  }
  const double = DOUBLE[c];
  if (double !== undefined) {
    if (input.charAt(at + 1) === c) return { token: { kind: double, column, text: c + c }, end: at + 2 };
    return { at, message: `expected "${c}${c}", found ${JSON.stringify(c)}` };
  }
  if (previous?.kind === 'label') return operatorWord(input, at, previous);
  if (input.startsWith('has(', at)) return hasCall(input, at);
  if (input.startsWith('all(', at)) return emptyCall(input, at, 'all');
  if (input.startsWith('global(', at)) return emptyCall(input, at, 'global');
  const key = matchAt(IDENTIFIER, input, at);
  if (key !== undefined) return { token: { kind: 'label', column, text: key, value: key }, end: at + key.length };
  return { at, message: `unexpected character ${JSON.stringify(String.fromCodePoint(input.codePointAt(at) ?? 0))}` };
}

// Calico strings have no escapes: a value runs to the next quote of the same kind.
function quoted(input: string, at: number): Step {
  const quote = input.charAt(at);
  const close = input.indexOf(quote, at + 1);
  if (close === -1) return { at, message: `unterminated string: no closing ${quote}` };
  const text = input.slice(at, close + 1);
  return { token: { kind: 'string', column: at + 1, text, value: input.slice(at + 1, close) }, end: close + 1 };
}

function operatorWord(input: string, at: number, label: CalicoSelectorToken): Step {
  for (const word of OPERATOR_WORDS) {
    if (!input.startsWith(word.first, at)) continue;
    let end = at + word.first.length;
    if (word.second !== undefined) {
      end = skipSpace(input, end);
      if (!input.startsWith(word.second, end)) return { at: end, message: `expected "${word.second}" after "${word.first}"` };
      end += word.second.length;
    }
    return { token: { kind: word.kind, column: at + 1, text: input.slice(at, end) }, end };
  }
  const found = JSON.stringify(input.slice(at, at + 10));
  return { at, message: `expected an operator (==, !=, in, not in, contains, starts with, ends with) after "${label.text}", found ${found}` };
}

function hasCall(input: string, at: number): Step {
  const keyAt = skipSpace(input, at + 'has('.length);
  const key = matchAt(IDENTIFIER, input, keyAt);
  if (key === undefined) return { at: keyAt, message: 'expected a label key after "has("' };
  const close = skipSpace(input, keyAt + key.length);
  if (input.charAt(close) !== ')') return { at: close, message: `expected ')' after "has(${key}"` };
  return { token: { kind: 'has', column: at + 1, text: input.slice(at, close + 1), value: key }, end: close + 1 };
}

function emptyCall(input: string, at: number, kind: 'all' | 'global'): Step {
  const close = skipSpace(input, at + kind.length + 1);
  if (input.charAt(close) !== ')') return { at: close, message: `expected ')' after "${kind}("` };
  return { token: { kind, column: at + 1, text: input.slice(at, close + 1) }, end: close + 1 };
}

function skipSpace(input: string, at: number): number {
  return at + (matchAt(SPACE, input, at)?.length ?? 0);
}

function matchAt(pattern: RegExp, input: string, at: number): string | undefined {
  pattern.lastIndex = at;
  return pattern.exec(input)?.[0];
}
