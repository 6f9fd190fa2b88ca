import { usesOf } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { rulesOf } from '../policy-view.js';

/**
 * Named ports no pod of the known topology declares: the rule matches nothing. An error in scenarios
 * (`netseg check` rejects it), a warning for manifests linted with `--topology`.
 */
export const unknownNamedPort: LintRule = {
  id: 'unknown-named-port',
  description: "a named port that no pod of the scenario's topology declares (with that protocol), so the rule matches nothing",
  severity: 'warning',
  kinds: ['NetworkPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    for (const scope of input.scopes) {
      if (!scope.topology) continue;
      const declared = new Set(scope.topology.pods.flatMap((p) => p.namedPorts.map((n) => `${n.name}/${n.protocol}`)));
      const seen = new Set<unknown>();
      for (const use of usesOf(scope)) {
        if (seen.has(use.source)) continue;
        seen.add(use.source);
        for (const rule of rulesOf(use.source.value)) {
          for (const { value, path } of rule.ports ?? []) {
            if (typeof value.port !== 'string' || /^\d+$/.test(value.port)) continue;
            const protocol = typeof value.protocol === 'string' ? value.protocol : 'TCP';
            if (declared.has(`${value.port}/${protocol}`)) continue;
            findings.push({
              source: use.source,
              path: [...path, 'port'],
              message: `named port "${value.port}" (${protocol}) is declared by no pod of the scenario's topology, so this ports entry matches nothing`,
              severity: scope.kind === 'scenario' ? 'error' : 'warning',
            });
          }
        }
      }
    }
    return findings;
  },
};
