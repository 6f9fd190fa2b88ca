import { parseCIDR, type ParsedCIDR } from '../../policy/cidr.js';
import { matchesSelector } from '../../policy/label-selector.js';
import { inAnyState, usesOf, type LintTopology, type PolicyUse } from '../lint-input.js';
import { findingsPerPolicy, type Report, type LintFinding, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { ipBlocksOf, isMap, rulesOf, selectorsOf, type Located, type RawMap } from '../policy-view.js';
import { asLabelSelector, rawExpressions } from '../selector-view.js';

/** Rules, peers and selectors that can never match anything. */
export const neverMatches: LintRule = {
  id: 'never-matches',
  description: 'a port range, ipBlock or selector that can never match (empty range, except covering the cidr, contradictory selector)',
  severity: 'warning',
  check(input) {
    const findings = findingsPerPolicy(input, (source, report) => {
      for (const rule of rulesOf(source.value)) {
        for (const port of rule.ports ?? []) checkPort(port, report);
      }
      for (const block of ipBlocksOf(source.value)) checkIpBlock(block, report);
      for (const selector of selectorsOf(source.value)) checkSelector(selector, report);
    });
    for (const scope of input.scopes) {
      if (!scope.topology) continue;
      for (const use of usesOf(scope)) findings.push(...peersMatchingNoPod(use, scope.topology));
    }
    return findings;
  },
};


function checkPort({ value, path }: Located<RawMap>, report: Report): void {
  const { port, endPort } = value;
  if (typeof endPort !== 'number') return;
  if (typeof port === 'string') report([...path, 'endPort'], `endPort cannot be combined with a named port ("${port}"): the API server rejects it`);
  else if (port === undefined || port === null) report([...path, 'endPort'], 'endPort without port: the API server rejects it; set port to the start of the range');
  else if (typeof port === 'number' && endPort < port) report([...path, 'endPort'], `endPort ${endPort} is below port ${port}: the range is empty`);
}

function checkIpBlock({ value, path }: Located<RawMap>, report: Report): void {
  const cidr = typeof value.cidr === 'string' ? parseCIDR(value.cidr) : undefined;
  if (!cidr || !Array.isArray(value.except)) return;
  value.except.forEach((text, i) => {
    const except = typeof text === 'string' ? parseCIDR(text) : undefined;
    if (!except) return;
    const at = [...path, 'except', i];
    if (except.family !== cidr.family || !overlaps(cidr, except)) {
      report(at, `except ${text} is not inside cidr ${cidr.text}: it excludes nothing (and the API server rejects it)`);
    } else if (except.prefix <= cidr.prefix) {
      const how = except.prefix === cidr.prefix ? 'equals' : 'contains';
      report(at, `except ${text} ${how} cidr ${cidr.text}: the ipBlock matches no address`);
    }
  });
}

/** True when the two networks share an address (CIDRs are either nested or disjoint). */
function overlaps(a: ParsedCIDR, b: ParsedCIDR): boolean {
  const [outer, inner] = a.prefix <= b.prefix ? [a, b] : [b, a];
  return inner.range[0].kind() === outer.range[0].kind() && inner.range[0].match(outer.range);
}

/** What is known about one label key while reading a selector's requirements in order. */
interface KeyState {
  mustExist: boolean;
  mustNotExist: boolean;
  /** Undefined: any value; otherwise the only values still allowed. */
  allowed: Set<string> | undefined;
  forbidden: Set<string>;
  said: string[];
}

function checkSelector({ value, path }: Located<RawMap>, report: Report): void {
  const states = new Map<string, KeyState>();
  const contradicted = new Set<string>();
  const consider = (key: string, at: readonly PathSegment[], text: string, apply: (s: KeyState) => void): void => {
    if (contradicted.has(key)) return;
    const state = states.get(key) ?? { mustExist: false, mustNotExist: false, allowed: undefined, forbidden: new Set(), said: [] };
    states.set(key, state);
    const before = [...state.said];
    apply(state);
    state.said.push(text);
    if (before.length > 0 && isContradictory(state)) {
      contradicted.add(key);
      report(at, `${text} contradicts ${before.join(' and ')}: ${consequence(path)}`);
    }
  };
  if (isMap(value.matchLabels)) {
    for (const [key, v] of Object.entries(value.matchLabels)) {
      if (typeof v !== 'string') continue;
      consider(key, [...path, 'matchLabels', key], `matchLabels ${key}=${v}`, (s) => {
        s.mustExist = true;
        s.allowed = intersect(s.allowed, [v]);
      });
    }
  }
  for (const { index, value: req } of rawExpressions(value)) {
    const key = req.key;
    if (typeof key !== 'string') continue;
    const values = Array.isArray(req.values) ? req.values.filter((v): v is string => typeof v === 'string') : [];
    const at = [...path, 'matchExpressions', index];
    switch (req.operator) {
      case 'In':
        if (values.length === 0) {
          report(at, `\`${key} In []\` has no values, so it matches nothing: ${consequence(path)}`);
          contradicted.add(key);
          break;
        }
        consider(key, at, `${key} In [${values.join(', ')}]`, (s) => {
          s.mustExist = true;
          s.allowed = intersect(s.allowed, values);
        });
        break;
      case 'NotIn':
        consider(key, at, `${key} NotIn [${values.join(', ')}]`, (s) => values.forEach((v) => s.forbidden.add(v)));
        break;
      case 'Exists':
        consider(key, at, `${key} Exists`, (s) => (s.mustExist = true));
        break;
      case 'DoesNotExist':
        consider(key, at, `${key} DoesNotExist`, (s) => (s.mustNotExist = true));
        break;
      default:
        break;
    }
  }
}

function intersect(allowed: Set<string> | undefined, values: readonly string[]): Set<string> {
  return new Set(allowed === undefined ? values : values.filter((v) => allowed.has(v)));
}

function isContradictory(s: KeyState): boolean {
  if (s.mustNotExist && (s.mustExist || s.allowed !== undefined)) return true;
  return s.allowed !== undefined && [...s.allowed].every((v) => s.forbidden.has(v));
}

function consequence(selectorPath: readonly PathSegment[]): string {
  if (selectorPath.length === 2 && selectorPath[1] === 'podSelector') return 'the policy selects no pod at all';
  return 'this peer can never match';
}

/** Selector peers that match no pod of a scenario's topology (malformed selectors are skipped). */
function peersMatchingNoPod(use: PolicyUse, topology: LintTopology): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const rule of rulesOf(use.source.value)) {
    for (const peer of rule.peers ?? []) {
      const { namespaceSelector, podSelector } = peer.value;
      if (isMap(peer.value.ipBlock) || (namespaceSelector == null && podSelector == null)) continue;
      const nsSel = namespaceSelector == null ? undefined : asLabelSelector(namespaceSelector);
      const podSel = podSelector == null ? {} : asLabelSelector(podSelector);
      if (!podSel || (namespaceSelector != null && !nsSel)) continue;
      let namespaces: string[];
      if (nsSel) {
        namespaces = [...topology.namespaces].filter(([, states]) => inAnyState(states, (l) => matchesSelector(nsSel, l))).map(([name]) => name);
        if (namespaces.length === 0) {
          findings.push({ source: use.source, path: [...peer.path, 'namespaceSelector'], message: "namespaceSelector matches no namespace of the scenario's topology in any step: this peer can never match" });
          continue;
        }
      } else {
        if (use.namespace === undefined) continue;
        namespaces = [use.namespace];
      }
      const hit = topology.pods.some((p) => namespaces.includes(p.namespace) && inAnyState(p.labelStates, (l) => matchesSelector(podSel, l)));
      if (!hit) {
        findings.push({
          source: use.source,
          path: [...peer.path, 'podSelector'],
          message: `podSelector matches no pod of namespace${namespaces.length > 1 ? 's' : ''} ${namespaces.join(', ')} in the scenario's topology in any step: this peer can never match`,
        });
      }
    }
  }
  return findings;
}
