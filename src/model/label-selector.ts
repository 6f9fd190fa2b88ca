import type { Labels } from './labels.js';
import type { LabelSelector } from './network-policy.js';

/**
 * Kubernetes label-selector semantics: every matchLabels pair and every matchExpressions requirement
 * must hold; an empty selector matches everything. Shared by the engine and the netns compiler (the
 * only engine code the datapath may reuse).
 */
export function matchesSelector(selector: LabelSelector, labels: Labels): boolean {
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const value = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || !(req.values ?? []).includes(value as string)) return false;
        break;
      case 'NotIn':
        if (has && (req.values ?? []).includes(value as string)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

