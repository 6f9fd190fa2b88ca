import { ISTIO_ROOT_NAMESPACE } from '../../model/index.js';
import { inAnyState, usesOf, type LintPod } from '../lint-input.js';
import type { LintFinding, LintRule } from '../lint-rule.js';
import { isMap, specOf, listOf, type RawMap } from '../policy-view.js';


const HTTP_SOURCE = ['requestPrincipals', 'notRequestPrincipals'];
const HTTP_OPERATION = ['hosts', 'notHosts', 'methods', 'notMethods', 'paths', 'notPaths'];

/**
 * An AuthorizationPolicy rule with HTTP-only fields (methods, paths, hosts, request principals,
 * `request.*` conditions) that reaches a TCP port its workloads do not serve as HTTP. istiod cannot
 * build those fields for TCP (`generator.go` "… is HTTP only"): an ALLOW rule is then dropped (it allows
 * nothing there), a DENY rule keeps its other fields (it denies every connection there). Needs the
 * scenario's topology (which ports are `appProtocol: http`); plain manifests are not checked.
 */
export const istioHttpFieldsOnTcp: LintRule = {
  id: 'istio-http-fields-on-tcp',
  description: 'an AuthorizationPolicy rule with HTTP-only fields that applies to TCP ports not served as HTTP: ignored in ALLOW, deny-all in DENY',
  severity: 'warning',
  kinds: ['AuthorizationPolicy'],
  check(input) {
    const findings: LintFinding[] = [];
    const seen = new Set<string>();
    for (const scope of input.scopes) {
      if (!scope.topology) continue;
      for (const use of usesOf(scope)) {
        const { source } = use;
        const spec = specOf(source.value);
        const action = typeof spec.action === 'string' ? spec.action : 'ALLOW';
        if (action !== 'ALLOW' && action !== 'DENY') continue;
        const pods = selectedPods(scope.topology.pods, use.namespace, spec.selector);
        listOf(spec.rules).forEach((rule, i) => {
          if (!isMap(rule) || !usesHttpFields(rule)) return;
          const tcp = [...new Set(pods.flatMap((p) => (p.tcpPorts ?? []).filter((c) => !c.http && portInScope(rule, c.port)).map((c) => c.port)))].sort((a, b) => a - b);
          const key = `${source.file}#${source.basePath.join('.')}#${i}`;
          if (tcp.length === 0 || seen.has(key)) return;
          seen.add(key);
          const ports = tcp.map((p) => `${p}/TCP`).join(', ');
          const message =
            action === 'ALLOW'
              ? `this ALLOW rule uses HTTP-only fields, so on ${ports} (not appProtocol: http) istiod drops it: it allows no connection there`
              : `this DENY rule uses HTTP-only fields, which count as matched on ${ports} (not appProtocol: http): it denies every connection there its other fields match`;
          findings.push({ source, path: ['spec', 'rules', i], message });
        });
      }
    }
    return findings;
  },
};

function usesHttpFields(rule: RawMap): boolean {
  const from = listOf(rule.from).some((f) => isMap(f) && isMap(f.source) && HTTP_SOURCE.some((k) => f.source !== undefined && (f.source as RawMap)[k] !== undefined));
  const to = listOf(rule.to).some((t) => isMap(t) && isMap(t.operation) && HTTP_OPERATION.some((k) => (t.operation as RawMap)[k] !== undefined));
  const when = listOf(rule.when).some((c) => isMap(c) && typeof c.key === 'string' && c.key.startsWith('request.'));
  return from || to || when;
}

/** Whether some operation of the rule (or the absence of operations) admits the port. */
function portInScope(rule: RawMap, port: number): boolean {
  const operations = listOf(rule.to);
  if (operations.length === 0) return true;
  return operations.some((t) => {
    const op = isMap(t) && isMap(t.operation) ? t.operation : {};
    const ports = listOf(op.ports).map(String);
    const notPorts = listOf(op.notPorts).map(String);
    return (ports.length === 0 || ports.includes(String(port))) && !notPorts.includes(String(port));
  });
}

/** The pods a policy's namespace (every namespace from the root namespace) and matchLabels select in some label state. */
function selectedPods(pods: readonly LintPod[], namespace: string | undefined, selector: unknown): LintPod[] {
  const labels = isMap(selector) && isMap(selector.matchLabels) ? selector.matchLabels : {};
  return pods.filter((p) => (namespace === ISTIO_ROOT_NAMESPACE || p.namespace === namespace) && inAnyState(p.labelStates, (l) => Object.entries(labels).every(([k, v]) => l[k] === v)));
}
