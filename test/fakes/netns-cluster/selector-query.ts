import type { LabelSelector, LabelSelectorRequirement } from '../../../src/model/index.js';

/**
 * Parses a Kubernetes label selector query string (`a=b,c!=d,e,!f,g in (h,i),j notin (k)`) into a
 * LabelSelector, so the fake API server matches with the same selector semantics as everything else.
 * Throws on syntax it does not understand (the server answers 400, as a real one does).
 */
export function parseSelectorQuery(query: string | null | undefined): LabelSelector {
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const term of splitTerms(query ?? '')) {
    const set = /^([^\s!=]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = (set[3] as string).split(',').map((v) => v.trim()).filter(Boolean);
      matchExpressions.push({ key: set[1] as string, operator: set[2] === 'in' ? 'In' : 'NotIn', values });
      continue;
    }
    const neq = /^([^\s!=]+)\s*!=\s*(\S*)$/.exec(term);
    if (neq) {
      matchExpressions.push({ key: neq[1] as string, operator: 'NotIn', values: [neq[2] as string] });
      continue;
    }
    const eq = /^([^\s!=]+)\s*==?\s*(\S*)$/.exec(term);
    if (eq) {
      matchExpressions.push({ key: eq[1] as string, operator: 'In', values: [eq[2] as string] });
      continue;
    }
    const absent = /^!\s*([^\s!=]+)$/.exec(term);
    if (absent) {
      matchExpressions.push({ key: absent[1] as string, operator: 'DoesNotExist' });
      continue;
    }
    if (/^[^\s!=(),]+$/.test(term)) {
      matchExpressions.push({ key: term, operator: 'Exists' });
      continue;
    }
    throw new Error(`unable to parse requirement: "${term}"`);
  }
  return { matchExpressions };
}

/** Splits on commas outside parentheses. */
function splitTerms(query: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of query) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map((t) => t.trim()).filter((t) => t.length > 0);
}
