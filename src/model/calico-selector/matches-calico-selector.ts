import type { Labels } from '../labels.js';
import type { CalicoSelector } from './calico-selector.js';

/** What the label map belongs to: `global()` matches only a non-namespaced resource (a GlobalNetworkSet, a host endpoint). */
export interface CalicoSelectorSubject {
  readonly nonNamespaced?: boolean;
}

/**
 * Calico selector semantics over one label map (libcalico-go `selector/parser/ast.go`): `==`, `in`,
 * `contains`, `starts with`, `ends with` and `has` need the label; `!=` and `not in` also match when
 * it is absent; `all()` matches everything in scope. Which resources are in scope is the caller's.
 */
export function matchesCalicoSelector(selector: CalicoSelector, labels: Labels, subject: CalicoSelectorSubject = {}): boolean {
  switch (selector.kind) {
    case 'all':
      return true;
    case 'global':
      return subject.nonNamespaced === true;
    case 'has':
      return valueOf(labels, selector.key) !== undefined;
    case 'equals':
      return valueOf(labels, selector.key) === selector.value;
    case 'notEquals':
      return valueOf(labels, selector.key) !== selector.value;
    case 'in': {
      const value = valueOf(labels, selector.key);
      return value !== undefined && selector.values.includes(value);
    }
    case 'notIn': {
      const value = valueOf(labels, selector.key);
      return value === undefined || !selector.values.includes(value);
    }
    case 'contains':
      return valueOf(labels, selector.key)?.includes(selector.value) ?? false;
    case 'startsWith':
      return valueOf(labels, selector.key)?.startsWith(selector.value) ?? false;
    case 'endsWith':
      return valueOf(labels, selector.key)?.endsWith(selector.value) ?? false;
    case 'not':
      return !matchesCalicoSelector(selector.operand, labels, subject);
    case 'and':
      return selector.operands.every((operand) => matchesCalicoSelector(operand, labels, subject));
    case 'or':
      return selector.operands.some((operand) => matchesCalicoSelector(operand, labels, subject));
  }
}

// Own properties only: a label called "constructor" or "__proto__" must not find Object.prototype's.
function valueOf(labels: Labels, key: string): string | undefined {
  return Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined;
}
