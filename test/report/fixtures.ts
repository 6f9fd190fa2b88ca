// Hand-built RunReports covering every shape the reporters must render.
import {
  REPORT_SCHEMA_VERSION,
  countCells,
  satisfies,
  addCounts,
  type CellReport,
  type CellStatus,
  type Connectivity,
  type DirectionExplanation,
  type Expectation,
  type LayerDecision,
  type Explanation,
  type PeerRef,
  type PodRef,
  type PolicyRef,
  type Protocol,
  type RunReport,
  type ScenarioReport,
  type StepReport,
  type TargetKind,
} from '../../src/model/index.js';

const OPEN: DirectionExplanation = { applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };
const NOT_A_POD: DirectionExplanation = { applies: false, isolated: false, selectedBy: [], allowedBy: [], verdict: 'allowed' };

/** An explanation where both directions are unisolated. */
function openExplanation(from: string, to: string): Explanation {
  return { verdict: 'allowed', egress: OPEN, ingress: OPEN, summary: `allowed: neither ${from} egress nor ${to} ingress is isolated` };
}

/** An explanation where the destination's ingress is isolated by `policy` and nothing allows the flow. */
function ingressDenied(policy: PolicyRef, to: string): Explanation {
  return {
    verdict: 'blocked',
    egress: OPEN,
    ingress: { applies: true, isolated: true, selectedBy: [policy], allowedBy: [], verdict: 'blocked' },
    summary: `blocked: ${to} ingress is isolated by ${policy} and no ingress rule allows the flow`,
  };
}

/** An explanation where ingress rule 0 of `policy` allows the flow. */
function ingressAllowed(policy: PolicyRef, to: string): Explanation {
  return {
    verdict: 'allowed',
    egress: OPEN,
    ingress: { applies: true, isolated: true, selectedBy: [policy], allowedBy: [{ policy, direction: 'ingress', rule: 0, peer: 0, port: 0 }], verdict: 'allowed' },
    summary: `allowed: ${to} ingress is allowed by ${policy} ingress rule 0 (peer 0, port 0)`,
  };
}

interface CellInput {
  from: PodRef;
  to: PeerRef;
  target?: TargetKind;
  port?: number;
  protocol?: Protocol;
  expected: Expectation;
  engine: Connectivity;
  observed?: Connectivity;
  status: CellStatus;
  explanation?: Explanation;
  raw?: string;
  detail?: string;
  deviation?: string;
  request?: string;
}

/** Builds a cell; engineAgrees follows from expected vs engine like the runner computes it. */
function cell(c: CellInput): CellReport {
  const engineAgrees = satisfies(c.expected, c.engine);
  const base: CellReport = {
    from: c.from,
    to: c.to,
    target: c.target ?? 'pod-ip',
    port: c.port ?? 80,
    protocol: c.protocol ?? 'TCP',
    ...(c.request !== undefined ? { request: c.request } : {}),
    expected: c.expected,
    engine: c.engine,
    status: c.status,
    engineAgrees,
    explanation: c.explanation ?? (c.engine === 'allowed' ? openExplanation(c.from, c.to) : ingressDenied('x/deny-all', c.to)),
  };
  return {
    ...base,
    ...(c.observed !== undefined ? { observed: c.observed } : {}),
    ...(c.raw !== undefined ? { raw: c.raw } : {}),
    ...(c.detail !== undefined ? { detail: c.detail } : {}),
    ...(c.deviation !== undefined ? { deviation: c.deviation } : {}),
  };
}

/** A step with counts computed from its cells. */
function step(index: number, name: string, cells: CellReport[], convergence?: StepReport['convergence']): StepReport {
  return { index, name, cells, counts: countCells(cells), ...(convergence ? { convergence } : {}) };
}

/** A scenario with counts summed from its steps. */
function scenario(s: Omit<ScenarioReport, 'counts'>): ScenarioReport {
  return { ...s, counts: addCounts(...s.steps.map((st) => st.counts)) };
}

/** A report with counts summed from its scenarios. */
function report(r: Omit<RunReport, 'counts' | 'schemaVersion' | 'tool'>): RunReport {
  return { schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'netseg', version: '0.1.0' }, ...r, counts: addCounts(...r.scenarios.map((s) => s.counts)) };
}

const PODS: PodRef[] = ['x/a', 'x/b', 'y/a'];

/** Every pair of PODS with a verdict function; self cells are ignored, as scenarios default to. */
function grid(
  verdict: (from: PodRef, to: PodRef) => { expected: Expectation; engine: Connectivity; observed?: Connectivity; explanation?: Explanation },
  status: CellStatus = 'pass',
  extra: Partial<CellInput> = {},
): CellReport[] {
  const cells: CellReport[] = [];
  for (const from of PODS) {
    for (const to of PODS) {
      const v = from === to ? { expected: 'ignored' as const, engine: 'allowed' as const, observed: extra.observed === undefined ? undefined : 'allowed' as const } : verdict(from, to);
      cells.push(cell({ from, to, status, ...extra, ...v } as CellInput));
    }
  }
  return cells;
}

/** check mode, every cell passes: two scenarios, two steps each. */
export function checkAllPass(): RunReport {
  const allowAll = () => ({ expected: 'allowed' as const, engine: 'allowed' as const });
  const denyToXb = (_f: PodRef, to: PodRef) =>
    to === 'x/b'
      ? { expected: 'blocked' as const, engine: 'blocked' as const, explanation: ingressDenied('x/deny-b', to) }
      : { expected: 'allowed' as const, engine: 'allowed' as const };
  return report({
    mode: 'check',
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 42,
    scenarios: [
      scenario({
        name: 'deny-all-to-b',
        file: 'scenarios/recipes/deny-all-to-b.yaml',
        description: 'Deny all traffic to x/b',
        notes: ['The source says x/b is unreachable from outside the cluster too; no probe comes from outside the cluster.'],
        tags: ['recipe', 'ingress'],
        steps: [step(0, 'baseline', grid(allowAll)), step(1, 'deny b', grid(denyToXb))],
      }),
      scenario({
        name: 'udp-open',
        file: 'scenarios/recipes/udp-open.yaml',
        tags: [],
        steps: [step(0, 'baseline', grid(allowAll).map((c) => ({ ...c, protocol: 'UDP' as const, port: 53 })))],
      }),
    ],
  });
}

/** run mode on netns with every status, a scenario disagreement, dns-name and external cells, and a failed scenario. */
export function runMixed(): RunReport {
  const baseline = step(0, 'baseline', grid(() => ({ expected: 'allowed', engine: 'allowed', observed: 'allowed' }), 'pass', { observed: 'allowed' }), {
    converged: true,
    rounds: 1,
    timeMs: 320,
    flapped: [],
  });
  const policy: PolicyRef = 'x/allow-a<&>"b"';
  const podIp: CellReport[] = [
    // enforcement mismatch: expected blocked, observed allowed
    cell({ from: 'x/a', to: 'x/b', expected: 'blocked', engine: 'blocked', observed: 'allowed', status: 'fail', raw: 'connected', explanation: ingressDenied(policy, 'x/b') }),
    // probe error: never "blocked"
    cell({ from: 'x/a', to: 'y/a', expected: 'allowed', engine: 'allowed', observed: 'probe-error', status: 'error', raw: 'agent error', detail: 'exec timed out after 5000 ms' }),
    // scenario disagreement: the scenario expects allowed, the engine says blocked, the datapath agrees with the engine
    cell({ from: 'x/b', to: 'x/a', expected: 'allowed', engine: 'blocked', observed: 'blocked', status: 'fail', raw: 'timeout', explanation: ingressDenied(policy, 'x/a') }),
    // known deviation that happened
    cell({ from: 'x/b', to: 'y/a', expected: 'blocked', engine: 'blocked', observed: 'allowed', status: 'expected-fail', raw: 'connected', deviation: 'cilium-ipblock-pod-ip', explanation: ingressDenied(policy, 'y/a') }),
    // known deviation that did not happen
    cell({ from: 'y/a', to: 'x/a', expected: 'allowed', engine: 'allowed', observed: 'allowed', status: 'unexpected-pass', raw: 'connected', deviation: 'hairpin', explanation: ingressAllowed(policy, 'x/a') }),
    cell({ from: 'y/a', to: 'x/b', expected: 'blocked', engine: 'blocked', observed: 'blocked', status: 'pass', raw: 'refused', explanation: ingressDenied(policy, 'x/b') }),
    cell({ from: 'x/a', to: 'x/a', expected: 'ignored', engine: 'allowed', observed: 'allowed', status: 'pass', raw: 'connected' }),
  ];
  const sctp = PODS.filter((p) => p !== 'x/a').map((to) =>
    cell({ from: 'x/a', to, protocol: 'SCTP', port: 80, expected: 'allowed', engine: 'allowed', status: 'skipped', detail: 'SCTP is not supported by the netns datapath' }),
  );
  const dnsExplanation: Explanation = {
    verdict: 'blocked',
    egress: { applies: true, isolated: true, selectedBy: ['x/default-deny-egress'], allowedBy: [], verdict: 'blocked' },
    ingress: OPEN,
    summary: 'blocked: the DNS lookup of y/a fails first',
    dns: {
      verdict: 'blocked',
      egress: { applies: true, isolated: true, selectedBy: ['x/default-deny-egress'], allowedBy: [], verdict: 'blocked' },
      ingress: OPEN,
      summary: 'blocked: x/a egress is isolated by x/default-deny-egress and no egress rule allows UDP 53 to kube-system/coredns',
    },
  };
  const dnsName = [
    cell({ from: 'x/a', to: 'y/a', target: 'dns-name', expected: 'allowed', engine: 'blocked', observed: 'blocked', status: 'fail', raw: 'dns failure', detail: 'a.y.svc.cluster.local: timeout', explanation: dnsExplanation }),
  ];
  const external = [
    cell({
      from: 'x/a',
      to: 'external:metadata',
      target: 'external',
      port: 443,
      expected: 'blocked',
      engine: 'blocked',
      observed: 'blocked',
      status: 'pass',
      raw: 'timeout',
      explanation: {
        verdict: 'blocked',
        egress: { applies: true, isolated: true, selectedBy: ['x/block-metadata'], allowedBy: [], verdict: 'blocked' },
        ingress: NOT_A_POD,
        summary: 'blocked: x/a egress is isolated by x/block-metadata and 169.254.169.254 is in an except of egress rule 0',
      },
    }),
    cell({ from: 'x/b', to: 'external:metadata', target: 'external', port: 443, expected: 'blocked', engine: 'blocked', observed: 'allowed', status: 'fail', raw: 'connected', explanation: { verdict: 'blocked', egress: { applies: true, isolated: true, selectedBy: ['x/block-metadata'], allowedBy: [], verdict: 'blocked' }, ingress: NOT_A_POD, summary: 'blocked: x/b egress is isolated by x/block-metadata and 169.254.169.254 is in an except of egress rule 0' } }),
  ];
  const enforce = step(1, 'allow "a" <-> b & metadata', [...podIp, ...sctp, ...dnsName, ...external], {
    converged: false,
    rounds: 5,
    timeMs: 10_250,
    flapped: ['pod-ip x/a -> x/b 80/TCP'],
  });
  const broken = step(0, 'baseline', grid(() => ({ expected: 'allowed', engine: 'allowed', observed: 'allowed' }), 'pass', { observed: 'allowed' }).slice(0, 4), {
    converged: true,
    rounds: 2,
    timeMs: 1_500,
    flapped: [],
  });
  return report({
    mode: 'run',
    provider: { name: 'netns', runId: 'ns-7f3a' },
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 15_875,
    scenarios: [
      scenario({
        name: 'mixed <outcomes> & "quotes"',
        file: 'scenarios/guide/mixed.yaml',
        description: 'Every outcome a run can produce',
        tags: ['guide'],
        steps: [baseline, enforce],
      }),
      scenario({
        name: 'aborted',
        file: 'scenarios/guide/aborted.yaml',
        tags: [],
        steps: [broken],
        error: 'provider failed while applying step 1: nft: Error: syntax error',
      }),
    ],
  });
}

/** check mode where the engine disagrees with a declared expectation (a scenario bug). */
export function checkWithFailure(): RunReport {
  const cells = grid((from, to) =>
    to === 'x/b' && from === 'y/a'
      ? { expected: 'allowed', engine: 'blocked', explanation: ingressDenied('x/only-same-ns', to) }
      : { expected: 'allowed', engine: 'allowed' },
  );
  const fixed = cells.map((c) => (c.from === 'y/a' && c.to === 'x/b' ? { ...c, status: 'fail' as const } : c));
  return report({
    mode: 'check',
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 7,
    scenarios: [scenario({ name: 'same-namespace', file: 'scenarios/recipes/same-namespace.yaml', tags: ['recipe'], steps: [step(0, 'only same namespace', fixed)] })],
  });
}

/** Equal-priority Admin policies that disagree on y/a -> x/b ingress: the engine's verdict is ambiguous. */
function ingressAmbiguous(to: string): Explanation {
  const layers: LayerDecision[] = [
    {
      layer: 'Admin',
      outcome: 'ambiguous',
      candidates: [
        { policy: 'ClusterNetworkPolicy/allow-monitoring', outcome: 'accept', priority: 10, rule: 0, ruleName: 'scrape' },
        { policy: 'ClusterNetworkPolicy/tenant-isolation', outcome: 'deny', priority: 10, rule: 1, ruleName: 'deny-cross-tenant' },
      ],
    },
    { layer: 'NetworkPolicy', outcome: 'not-consulted', decidedBy: 'Admin' },
    { layer: 'Baseline', outcome: 'not-consulted', decidedBy: 'Admin' },
  ];
  return {
    verdict: 'ambiguous',
    egress: OPEN,
    ingress: { applies: true, isolated: false, selectedBy: [], allowedBy: [], verdict: 'ambiguous', layers },
    summary: `ambiguous: y/a egress not isolated; ${to} ingress ambiguous (Admin ambiguous (ClusterNetworkPolicy/allow-monitoring priority 10 rule scrape accept | ClusterNetworkPolicy/tenant-isolation priority 10 rule deny-cross-tenant deny) -> NetworkPolicy not consulted -> Baseline not consulted)`,
  };
}

/** check mode with an ambiguous engine verdict (satisfies the blocked expectation) next to a real disagreement, so the matrix shows both. */
export function checkAmbiguous(): RunReport {
  const cells = grid((from, to) => {
    if (from === 'y/a' && to === 'x/b') return { expected: 'blocked', engine: 'ambiguous', explanation: ingressAmbiguous(to) };
    if (from === 'x/a' && to === 'y/a') return { expected: 'blocked', engine: 'allowed' };
    return { expected: 'allowed', engine: 'allowed' };
  });
  const fixed = cells.map((c) => (c.from === 'x/a' && c.to === 'y/a' ? { ...c, status: 'fail' as const } : c));
  return report({
    mode: 'check',
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 9,
    scenarios: [scenario({ name: 'tenant-isolation', file: 'scenarios/cluster-network-policy/tenants.yaml', tags: ['cluster-network-policy'], steps: [step(0, 'equal priorities', fixed)] })],
  });
}

/** All fixtures by name, for golden tests. */
/**
 * run mode with HTTP request cells on 8080: y/a is blocked below L7 (connection and requests),
 * POST /orders from x/b is denied by a proxy's 403 as expected, and GET / from x/b is expected
 * allowed but closed after connect (a mismatch).
 */
export function runHttp(): RunReport {
  const on8080 = { port: 8080 } as const;
  const cells: CellReport[] = [];
  for (const request of [undefined, 'GET /', 'POST /orders']) {
    const extra = { ...on8080, ...(request !== undefined && { request }) };
    cells.push(cell({ from: 'y/a', to: 'x/a', ...extra, expected: 'blocked', engine: 'blocked', observed: 'blocked', status: 'pass', raw: 'timeout', explanation: ingressDenied('x/from-x', 'x/a') }));
    if (request === 'POST /orders') cells.push(cell({ from: 'x/b', to: 'x/a', ...extra, expected: 'denied', engine: 'allowed', observed: 'denied', status: 'pass', raw: 'http 403 RBAC: access denied', detail: 'http 403 RBAC: access denied' }));
    else if (request === 'GET /') cells.push(cell({ from: 'x/b', to: 'x/a', ...extra, expected: 'allowed', engine: 'allowed', observed: 'denied', status: 'fail', raw: 'closed after connect', detail: 'ECONNRESET' }));
    else cells.push(cell({ from: 'x/b', to: 'x/a', ...extra, expected: 'allowed', engine: 'allowed', observed: 'allowed', status: 'pass', raw: 'connected' }));
  }
  return report({
    mode: 'run',
    provider: { name: 'netns', runId: 'r-http' },
    startedAt: '2025-01-02T03:04:05.000Z',
    durationMs: 420,
    scenarios: [scenario({ name: 'shop-orders', file: 'scenarios/l7/shop-orders.yaml', tags: ['l7'], steps: [step(0, 'POST only', cells)] })],
  });
}

export const FIXTURES: Record<string, () => RunReport> = {
  'check-all-pass': checkAllPass,
  'check-with-failure': checkWithFailure,
  'check-ambiguous': checkAmbiguous,
  'run-mixed': runMixed,
  'run-unsupported': () => runUnsupported(),
  'run-http': runHttp,
};

/** runMixed as kind/calico would observe it: the fail cells enforced correctly, the probe error gone, one new difference. */
export function runOtherProvider(): RunReport {
  const base = runMixed();
  const scenarios = base.scenarios.slice(0, 1).map((s) => {
    const steps = s.steps.map((st) => {
      const cells = st.cells.map((c): CellReport => {
        if (st.index === 1 && c.from === 'x/a' && c.to === 'x/b' && c.target === 'pod-ip') return { ...c, observed: 'blocked', status: 'pass', raw: 'timeout' };
        if (st.index === 1 && c.status === 'error') return { ...c, observed: 'allowed', status: 'pass', raw: 'connected', detail: undefined } as CellReport;
        if (st.index === 1 && c.protocol === 'SCTP') return { ...c, observed: 'allowed', status: 'pass', raw: 'connected', detail: undefined } as CellReport;
        if (st.index === 0 && c.from === 'y/a' && c.to === 'x/b') return { ...c, observed: 'blocked', status: 'fail', raw: 'timeout' };
        return c;
      });
      return { ...st, cells: cells.map(({ detail, ...rest }) => (detail === undefined ? rest : { ...rest, detail })), counts: countCells(cells) };
    });
    return { ...s, steps, counts: addCounts(...steps.map((st) => st.counts)) };
  });
  return { ...base, provider: { name: 'kind', cni: 'calico', runId: 'kind-91bc' }, scenarios, counts: addCounts(...scenarios.map((s) => s.counts)) };
}

/** The reason of every cell of runUnsupported's unsupported scenario. */
export const UNSUPPORTED_REASON = 'NetworkPolicy is not enforced by fake (cni flannel)';

/**
 * runMixed on a datapath that enforces no policy kind (like Flannel): the scenario with policies is
 * not deployed and every cell is unsupported; a policy-free copy of its baseline step passes.
 */
export function runUnsupported(): RunReport {
  const base = runMixed();
  const mixed = base.scenarios[0]!;
  const steps = mixed.steps.map((st): StepReport => {
    const cells = st.cells.map(({ deviation: _d, detail: _t, observed: _o, ...c }): CellReport => ({ ...c, status: 'unsupported', raw: 'not-enforced', detail: UNSUPPORTED_REASON }));
    return { index: st.index, name: st.name, cells, counts: countCells(cells) };
  });
  const unsupported: ScenarioReport = { ...mixed, steps, counts: addCounts(...steps.map((s) => s.counts)), unsupported: { kinds: ['NetworkPolicy'], reason: UNSUPPORTED_REASON } };
  const baseline: ScenarioReport = { ...mixed, name: 'baseline', file: 'scenarios/guide/baseline.yaml', steps: mixed.steps.slice(0, 1), counts: mixed.steps[0]!.counts };
  const scenarios = [unsupported, baseline];
  return { ...base, provider: { name: 'fake', cni: 'flannel', runId: 'fake-5e1d' }, scenarios, counts: addCounts(...scenarios.map((s) => s.counts)) };
}
