import { z } from 'zod';
import { deleteKindNames, documentSchemaOf, POLICY_KIND_MODULES } from './kinds/policy-kinds.js';

// The scenario file format (docs/scenario-format.md). Objects are strict so a typo is an error, not a
// silently ignored key. Unions are kept small because their errors are reported from the best branch.

const labels = z.record(z.string(), z.string({ error: 'label values must be strings (quote numbers and booleans)' }));
const portNumber = z.int({ error: 'port must be an integer' }).min(1, { error: 'port must be between 1 and 65535' }).max(65535, { error: 'port must be between 1 and 65535' });
const protocol = z.enum(['TCP', 'UDP', 'SCTP'], { error: 'protocol must be TCP, UDP or SCTP' });
const expectation = z.enum(['allowed', 'blocked', 'denied', 'ignored'], { error: 'expectation must be allowed, blocked, denied or ignored' });

const containerPort = z.strictObject({
  port: portNumber,
  protocol: protocol.optional().describe('default TCP'),
  name: z.string().optional().describe('makes the port addressable by named-port policies'),
  appProtocol: z.enum(['http'], { error: 'appProtocol must be http (the only application protocol netseg probes)' }).optional().describe('http: the pod serves HTTP on this TCP port and the scenario\'s probes.http requests are sent to it'),
});

const ipFamily = z.enum(['IPv4', 'IPv6'], { error: 'an IP family is IPv4 or IPv6' });

/** A port an external host serves: no name, since named ports are container ports and never match external hosts. */
const externalPort = z.strictObject({ port: portNumber, protocol: protocol.optional().describe('default TCP') });

/** `spec.topology`. */
export const topologySchema = z.strictObject({
  grid: z
    .strictObject({
      namespaces: z.array(z.string()).optional().describe('default [x, y, z]'),
      pods: z.array(z.string()).optional().describe('default [a, b, c]'),
      ports: z.array(portNumber).optional().describe('default [80, 81]'),
      protocols: z.array(protocol).optional().describe('default [TCP, UDP]'),
    })
    .optional()
    .describe('shorthand: namespaces × pods labelled pod=<name> serving ports × protocols'),
  namespaces: z.array(z.strictObject({ name: z.string(), labels: labels.optional() })).optional(),
  pods: z
    .array(
      z.strictObject({
        ref: z.string().describe('"namespace/pod"'),
        labels: labels.optional(),
        ports: z.array(containerPort).optional(),
        service: z.boolean().optional().describe('a ClusterIP Service named like the pod (default true)'),
        serviceAccountName: z.string().optional().describe('the service account the pod runs as (default: default); Calico policies select by it'),
      }),
    )
    .optional(),
  externals: z
    .array(
      z.strictObject({
        name: z.string(),
        ip: z.string().describe('IPv4 or IPv6'),
        secondIP: z.string().optional().describe('dual-stack scenarios: its address of the other family (without one it exists in the family of `ip` only)'),
        ports: z.array(externalPort).optional(),
        real: z.boolean().optional().describe('a real address: probed as it is on providers that create no external hosts (kubeconfig); a drop counts as blocked only if the no-policy baseline reached it'),
        source: z.boolean().optional().describe('also a probe source: its agent probes every pod by IP (pod-ip cells), rows "external:<name>" in tables and rules; default false'),
        dnsName: z.string().optional().describe('its DNS name (e.g. api.example.com): the datapath DNS answers it, external cells probe it by name (a DNS lookup first), Cilium toFQDNs select it'),
      }),
    )
    .optional(),
  ipFamilies: z
    .array(ipFamily)
    .min(1, { error: 'ipFamilies lists one or two families' })
    .max(2, { error: 'ipFamilies lists one or two families' })
    .optional()
    .describe('default [IPv4]; [IPv6], or [IPv4, IPv6] / [IPv6, IPv4] for dual-stack (every pod, Service and the cluster DNS get an address of each family, the first one primary; probes run per family)'),
  serviceAccounts: z
    .array(z.strictObject({ namespace: z.string(), name: z.string(), labels: labels.optional() }))
    .optional()
    .describe('service accounts with labels (Calico serviceAccounts.selector, serviceAccountSelector); a pod\'s account not listed has no labels'),
  podCIDR: z.string().optional().describe('default 10.244.0.0/16 (IPv6: fd00:10:244::/56); dual-stack: one CIDR per family, comma-separated, a missing one defaulted'),
  serviceCIDR: z.string().optional().describe('default 10.96.0.0/16 (IPv6: fd00:10:96::/112); dual-stack: one CIDR per family, comma-separated, a missing one defaulted'),
  clusterDomain: z.string().optional().describe('default cluster.local'),
});

/** `spec.probes`. */
export const probesSchema = z.strictObject({
  ports: z.array(z.union([portNumber, z.string()])).optional().describe('"80/TCP", "53/UDP" or 80; default: every port any pod or external declares'),
  targets: z.array(z.enum(['pod-ip', 'service', 'dns-name', 'external'], { error: 'target must be pod-ip, service, dns-name or external' })).optional(),
  dns: z.array(z.enum(['UDP', 'TCP'], { error: 'dns transports are UDP or TCP' })).optional(),
  timeoutMs: z.int().min(1).max(60000).optional(),
  http: z
    .array(
      z.strictObject({
        name: z.string().optional().describe('the request\'s id in cell ids, tables and rules (default "METHOD path")'),
        method: z.string().describe('an HTTP method token (RFC 9110), e.g. GET, POST; case is kept'),
        path: z.string().describe('the request target: starts with "/", may carry a query string'),
        host: z.string().optional().describe('the Host header (default: the address dialled, with ":port" unless 80)'),
        headers: z.record(z.string(), z.string({ error: 'header values must be strings' })).optional().describe('extra request headers'),
      }),
    )
    .optional()
    .describe('HTTP requests sent on every probed TCP port a destination pod serves with appProtocol: http, one cell each beside the connection cell (at most 64)'),
});

const policyFile = z.strictObject({
  file: z.string().describe('a (multi-document) manifest file, relative to the scenario file'),
  namespace: z.string().optional().describe('namespace for documents that have none, like kubectl -n'),
});
// Inline policies of every registered kind (one union branch per kind; zod reports the best branch).
const policySource = z.union([...POLICY_KIND_MODULES.map(documentSchemaOf), policyFile]);
const kindNames = deleteKindNames() as [string, ...string[]];
const deleteTarget = z.union([
  z.string().describe('"namespace/name" of an existing NetworkPolicy'),
  z.strictObject({
    kind: z.enum(kindNames, { error: `kind must be one of ${kindNames.join(', ')}` }).optional().describe('default NetworkPolicy; Calico\'s NetworkPolicy is CalicoNetworkPolicy'),
    namespace: z.string().optional().describe('required for namespaced kinds, forbidden for cluster-scoped ones'),
    name: z.string(),
  }),
]);

const labelTarget = { pod: z.string().optional().describe('"namespace/pod"'), namespace: z.string().optional() };

/** One entry of a step's `actions`. */
export const actionSchema = z
  .strictObject({
    apply: policySource.optional().describe('create a policy (it must not exist)'),
    replace: policySource.optional().describe('update a policy (it must exist)'),
    delete: deleteTarget.optional().describe('an existing policy: "namespace/name" of a NetworkPolicy, or { kind, namespace, name }'),
    setLabels: z.strictObject({ ...labelTarget, labels }).optional(),
    removeLabels: z.strictObject({ ...labelTarget, keys: z.array(z.string()) }).optional(),
  })
  .check((ctx) => {
    const n = Object.keys(ctx.value).length;
    if (n !== 1) ctx.issues.push({ code: 'custom', input: ctx.value, message: n === 0 ? 'an action needs one of apply, replace, delete, setLabels, removeLabels' : 'an action has exactly one of apply, replace, delete, setLabels, removeLabels' });
  });

const peerPattern = z.union([
  z.string().describe('x/a, x/*, */a, *, external:name, external:*'),
  z.strictObject({
    namespace: z.string().optional(),
    pod: z.string().optional(),
    labels: labels.optional(),
    namespaceLabels: labels.optional(),
    external: z.string().optional(),
  }),
]);

const expectRule = z.strictObject({
  from: peerPattern.optional(),
  to: peerPattern.optional(),
  port: portNumber.optional(),
  protocol: protocol.optional(),
  target: z.enum(['pod-ip', 'service', 'dns-name', 'external', 'dns'], { error: 'target must be pod-ip, service, dns-name, external or dns' }).optional(),
  family: ipFamily.optional().describe('only the cells of this IP family (dual-stack scenarios); default every family'),
  request: z.string().optional().describe('only the cells of this HTTP probe (its name or "METHOD path"); default the connection cells and every request cell'),
  expect: expectation,
});

const expectSpec = z.union([
  z.literal('computed', { error: 'expect must be "computed" or an object' }),
  z.strictObject({
    default: expectation.optional().describe('default allowed'),
    tables: z.record(z.string(), z.string()).optional().describe('slice ("80/TCP", "service 80/TCP", "8080/TCP [POST /orders]") → truth table'),
    rules: z.array(expectRule).optional().describe('ordered; the last matching rule wins'),
    self: z.enum(['check', 'ignore'], { error: 'self must be check or ignore' }).optional().describe('pod-to-itself cells (default ignore)'),
  }),
]);

/** One entry of `spec.steps`. */
export const stepSchema = z.strictObject({
  name: z.string(),
  actions: z.array(actionSchema).optional(),
  expect: expectSpec,
});

/** The whole scenario document. */
export const scenarioSchema = z
  .strictObject({
    apiVersion: z.literal('netseg.io/v1alpha1', { error: 'apiVersion must be netseg.io/v1alpha1' }),
    kind: z.literal('Scenario', { error: 'kind must be Scenario' }),
    metadata: z.strictObject({
      name: z.string(),
      description: z.string().optional(),
      // Caveats the reports show with the scenario, e.g. where the source a scenario follows claims what its manifests do not do.
      notes: z.array(z.string().min(1, { error: 'a note must not be empty' })).optional(),
      tags: z.array(z.string()).optional(),
    }),
    spec: z.strictObject({
      topology: topologySchema,
      probes: probesSchema.optional(),
      baseline: z.boolean().optional().describe('a first step "baseline" with no policy expecting all allowed (default true)'),
      steps: z.array(stepSchema),
    }),
  })
  .describe('A netseg scenario: topology, policies applied in steps, and the expected connectivity');

/** The parsed (not yet normalized) scenario document. */
export type ScenarioInput = z.infer<typeof scenarioSchema>;
/** One parsed step. */
export type StepInput = ScenarioInput['spec']['steps'][number];
/** One parsed action. */
export type ActionInput = NonNullable<StepInput['actions']>[number];
/** A parsed file include of policies. */
export type PolicyFileInput = z.infer<typeof policyFile>;
/** A parsed policy source: an inline policy (a document of some kind, checked by its schema) or a file include. */
export type PolicySourceInput = z.infer<typeof policySource>;
/** A parsed `delete` target. */
export type DeleteTargetInput = z.infer<typeof deleteTarget>;
/** A parsed peer pattern of an expectation rule. */
export type PeerPatternInput = z.infer<typeof peerPattern>;
/** A parsed topology. */
export type TopologyInput = ScenarioInput['spec']['topology'];
