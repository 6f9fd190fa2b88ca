import { matchesSelector } from '../../model/label-selector.js';
import { inAnyState, usesOf, type LintTopology, type PolicyUse } from '../lint-input.js';
import { findingsPerPolicy, type Report, type LintFinding, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { isMap, rulesOf, selectorsOf, type Located, type RawMap } from '../policy-view.js';
import { asLabelSelector, rawExpressions } from '../selector-view.js';

/** Peers and selectors that can never match anything (what the API server rejects is an error of other rules). */
export const neverMatches: LintRule = {
  id: 'never-matches',
  description: 'a selector or peer that can never match (contradictory requirements, no namespace or pod of the topology)',
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings = findingsPerPolicy(input, (source, report) => {
      for (const selector of selectorsOf(source.value)) checkSelector(selector, report);
    });
    for (const scope of input.scopes) {
      if (!scope.topology) continue;
      for (const use of usesOf(scope)) findings.push(...peersMatchingNoPod(use, scope.topology));
    }
    return findings;
  },
};


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
        // `In []` is bad-selector's (the API server rejects it).
        if (values.length === 0) break;
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
