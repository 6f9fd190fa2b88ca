import { parseCIDR, parseIP, type ParsedCIDR } from '../../model/cidr.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { parsePlaceholder } from '../../scenario/placeholder.js';
import { ipBlocksOf, type Located, type RawMap } from '../policy-view.js';

/**
 * ipBlock cidr/except values that are not CIDRs (placeholders are valid only in policies a scenario
 * uses), and excepts that do not lie strictly inside their cidr (the API server rejects both).
 */
export const badCidr: LintRule = {
  id: 'bad-cidr',
  description: 'an ipBlock cidr or except that is not a valid CIDR, or an except not strictly inside its cidr (placeholders such as {{podIP x/a}} excepted)',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const { value, path } of ipBlocksOf(source.value)) {
        const check = (text: unknown, at: readonly PathSegment[]): void => {
          const problem = cidrProblem(text, source.placeholdersAllowed);
          if (problem) report(at, problem);
        };
        if (value.cidr === undefined || value.cidr === null) report(path, 'ipBlock needs a `cidr`');
        else check(value.cidr, [...path, 'cidr']);
        if (Array.isArray(value.except)) value.except.forEach((e, i) => check(e, [...path, 'except', i]));
        for (const [at, message] of exceptsOutside({ value, path })) report(at, message);
      }
    });
  },
};

function cidrProblem(text: unknown, placeholdersAllowed: boolean): string | undefined {
  if (typeof text !== 'string') return `a CIDR must be a string, not ${JSON.stringify(text)}`;
  // The loader's own placeholder syntax (docs/scenario-format.md).
  const placeholder = parsePlaceholder(text);
  if (placeholder !== undefined) {
    if ('error' in placeholder) return placeholder.error;
    if (!placeholdersAllowed) return `"${text}" is a netseg scenario placeholder; it is only valid in policies a scenario applies, not in a plain manifest`;
    if (placeholder.kind === 'podNet' && placeholder.prefix > 128) return `"${text}": prefix length ${placeholder.prefix} is out of range`;
    return undefined;
  }
  if (parseCIDR(text)) return undefined;
  if (parseIP(text)) return `"${text}" is an IP address, not a CIDR: write ${text}/${text.includes(':') ? 128 : 32}`;
  return `"${text}" is not a valid CIDR (e.g. 10.0.0.0/8 or fd00::/64)`;
}

/** Excepts that are valid CIDRs but not strictly inside the (valid) cidr of their ipBlock. */
function exceptsOutside({ value, path }: Located<RawMap>): [readonly PathSegment[], string][] {
  const cidr = typeof value.cidr === 'string' ? parseCIDR(value.cidr) : undefined;
  if (!cidr || !Array.isArray(value.except)) return [];
  const out: [readonly PathSegment[], string][] = [];
  value.except.forEach((text, i) => {
    const except = typeof text === 'string' ? parseCIDR(text) : undefined;
    if (!except) return;
    const at = [...path, 'except', i];
    if (except.family !== cidr.family || !overlaps(cidr, except)) {
      out.push([at, `except ${text} is not inside cidr ${cidr.text}: the API server rejects it (it would exclude nothing)`]);
    } else if (except.prefix <= cidr.prefix) {
      const how = except.prefix === cidr.prefix ? 'equals' : 'contains';
      out.push([at, `except ${text} ${how} cidr ${cidr.text}: the API server rejects it (the ipBlock would match no address)`]);
    }
  });
  return out;
}

/** True when the two networks share an address (CIDRs are either nested or disjoint). */
function overlaps(a: ParsedCIDR, b: ParsedCIDR): boolean {
  const [outer, inner] = a.prefix <= b.prefix ? [a, b] : [b, a];
  return inner.range[0].kind() === outer.range[0].kind() && inner.range[0].match(outer.range);
}
