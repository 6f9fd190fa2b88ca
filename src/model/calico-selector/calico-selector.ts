/**
 * A parsed Calico selector (libcalico-go `selector/parser/ast.go`), in the canonical form the parser
 * produces: `&&` and `||` are n-ary with two or more operands, runs of `!` are collapsed (`!!x` is `x`),
 * and set values are sorted and deduplicated. Positions live on the tokens and in parse errors, so two
 * selectors that mean the same text compare equal however they were spelled.
 */
export type CalicoSelector =
  | { readonly kind: 'all' }
  | { readonly kind: 'global' }
  | { readonly kind: 'has'; readonly key: string }
  | { readonly kind: 'equals'; readonly key: string; readonly value: string }
  | { readonly kind: 'notEquals'; readonly key: string; readonly value: string }
  | { readonly kind: 'in'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'notIn'; readonly key: string; readonly values: readonly string[] }
  | { readonly kind: 'contains'; readonly key: string; readonly value: string }
  | { readonly kind: 'startsWith'; readonly key: string; readonly value: string }
  | { readonly kind: 'endsWith'; readonly key: string; readonly value: string }
  | { readonly kind: 'not'; readonly operand: CalicoSelector }
  | { readonly kind: 'and'; readonly operands: readonly CalicoSelector[] }
  | { readonly kind: 'or'; readonly operands: readonly CalicoSelector[] };
