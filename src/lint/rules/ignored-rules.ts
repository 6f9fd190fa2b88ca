import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { specOf } from '../policy-view.js';

/** Rules of a direction that an explicit policyTypes leaves out: the API server keeps them, the datapath ignores them. */
export const ignoredRules: LintRule = {
  id: 'ignored-rules',
  description: 'ingress or egress rules present while an explicit policyTypes leaves that direction out (the rules do nothing)',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const spec = specOf(source.value);
      const types = spec.policyTypes;
      if (!Array.isArray(types) || types.length === 0) return;
      for (const [direction, type] of [['ingress', 'Ingress'], ['egress', 'Egress']] as const) {
        const rules = spec[direction];
        if (!Array.isArray(rules) || rules.length === 0 || types.includes(type)) continue;
        report(['spec', direction], `these ${direction} rules are ignored: policyTypes is [${types.join(', ')}] without ${type}; add ${type} to policyTypes or remove the rules`);
      }
    });
  },
};
