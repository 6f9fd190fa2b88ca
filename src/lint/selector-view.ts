import type { LabelSelector, LabelSelectorRequirement } from '../model/index.js';
import { isMap, type RawMap } from './policy-view.js';

const OPERATORS = new Set(['In', 'NotIn', 'Exists', 'DoesNotExist']);

/**
 * Converts a raw selector to a LabelSelector when it is well-formed enough to evaluate (string
 * labels, known operators, string values); undefined otherwise, so evaluation never guesses.
 */
export function asLabelSelector(raw: unknown): LabelSelector | undefined {
  if (!isMap(raw)) return undefined;
  const matchLabels: Record<string, string> = {};
  if (raw.matchLabels !== undefined && raw.matchLabels !== null) {
    if (!isMap(raw.matchLabels)) return undefined;
    for (const [k, v] of Object.entries(raw.matchLabels)) {
      if (typeof v !== 'string') return undefined;
      matchLabels[k] = v;
    }
  }
  const matchExpressions: LabelSelectorRequirement[] = [];
  if (raw.matchExpressions !== undefined && raw.matchExpressions !== null) {
    if (!Array.isArray(raw.matchExpressions)) return undefined;
    for (const item of raw.matchExpressions) {
      const req = asRequirement(item);
      if (!req) return undefined;
      matchExpressions.push(req);
    }
  }
  return { matchLabels, matchExpressions };
}

function asRequirement(item: unknown): LabelSelectorRequirement | undefined {
  if (!isMap(item) || typeof item.key !== 'string' || typeof item.operator !== 'string' || !OPERATORS.has(item.operator)) return undefined;
  const values = item.values;
  if (values !== undefined && values !== null && !(Array.isArray(values) && values.every((v) => typeof v === 'string'))) return undefined;
  return { key: item.key, operator: item.operator as LabelSelectorRequirement['operator'], values: (values as string[] | undefined) ?? [] };
}

/** The raw matchExpressions entry list of a selector (maps only, with their indexes). */
export function rawExpressions(selector: RawMap): { index: number; value: RawMap }[] {
  if (!Array.isArray(selector.matchExpressions)) return [];
  const out: { index: number; value: RawMap }[] = [];
  selector.matchExpressions.forEach((value, index) => {
    if (isMap(value)) out.push({ index, value });
  });
  return out;
}
