import { parseCIDR } from '../../model/cidr.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { ipBlocksOf } from '../policy-view.js';

/** CIDRs with host bits set (`10.0.0.1/24`): accepted, but the address part is silently ignored. */
export const cidrHostBits: LintRule = {
  id: 'cidr-host-bits',
  description: 'an ipBlock cidr or except with host bits set (10.0.0.1/24 means 10.0.0.0/24)',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const { value, path } of ipBlocksOf(source.value)) {
        const check = (text: unknown, at: readonly PathSegment[]): void => {
          const cidr = typeof text === 'string' ? parseCIDR(text) : undefined;
          if (!cidr || cidr.network === cidr.range[0].toString()) return;
          report(at, `${text} has host bits set: it means ${cidr.network}/${cidr.prefix}; write that (or /${cidr.family === 4 ? 32 : 128} for the one address)`);
        };
        check(value.cidr, [...path, 'cidr']);
        if (Array.isArray(value.except)) value.except.forEach((e, i) => check(e, [...path, 'except', i]));
      }
    });
  },
};
