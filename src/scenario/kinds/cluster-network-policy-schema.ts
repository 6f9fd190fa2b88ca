import { z } from 'zod';
import { labelSelectorSchema, networkPolicySchema, portNumberSchema } from '../network-policy-schema.js';

// The CRD's OpenAPI shape (docs/cluster-network-policy.md §9, §10), strict like the NetworkPolicy
// schema: a misplaced key is an error, because the API server would prune it and the policy would
// mean something else. "Exactly one field" rules (subject, peers, protocols, destinationPort) are
// CEL in the CRD and live in `validate-cluster-network-policy.ts`, where each gets its own message.
// Optional fields accept null (Kubernetes reads null as absent); nulls are stripped after parsing.

const MAX_ITEMS = 25;

function list<T extends z.ZodType>(item: T, what: string, min: number): z.ZodArray<T> {
  return z
    .array(item)
    .min(min, { error: `${what} needs at least ${min} entr${min === 1 ? 'y' : 'ies'}` })
    .max(MAX_ITEMS, { error: `${what} has at most ${MAX_ITEMS} entries` });
}

const pods = z.strictObject({
  namespaceSelector: labelSelectorSchema.nullish().describe('absent: pods of every namespace'),
  podSelector: labelSelectorSchema,
});

const destinationPort = z.strictObject({
  number: portNumberSchema.nullish(),
  range: z.strictObject({ start: portNumberSchema, end: portNumberSchema }).nullish().describe('inclusive; start < end'),
});

// `tcp: {}` is rejected (the CRD's minProperties: 1): "all TCP ports" is a 1–65535 range.
const portProtocol = z.strictObject({ destinationPort: destinationPort.describe('exactly one of number, range') });

const protocol = z.strictObject({
  tcp: portProtocol.nullish(),
  udp: portProtocol.nullish(),
  sctp: portProtocol.nullish(),
  destinationNamedPort: z.string().nullish().describe('experimental; not with networks, nodes or domainNames peers'),
});

const ingressPeer = z.strictObject({
  namespaces: labelSelectorSchema.nullish(),
  pods: pods.nullish(),
});

const egressPeer = ingressPeer.extend({
  networks: list(z.string(), 'networks', 1).nullish().describe('CIDRs (v4 or v6) or {{podIP ns/pod}}, {{podNet ns/pod N}}, {{externalIP name}}'),
  nodes: labelSelectorSchema.nullish().describe('experimental; no pod matrix evaluates it'),
  domainNames: list(z.string(), 'domainNames', 1).nullish().describe('experimental, Accept rules only; no pod matrix evaluates it'),
});

const ruleFields = {
  name: z.string().max(100, { error: 'a rule name has at most 100 characters' }).nullish(),
  action: z.enum(['Accept', 'Deny', 'Pass'], { error: 'action must be Accept, Deny or Pass' }),
  protocols: list(protocol, 'protocols', 1).nullish().describe('absent: all traffic'),
};

/** A policy.networking.k8s.io/v1alpha2 ClusterNetworkPolicy as netseg accepts it (inline or from a manifest file). */
export const clusterNetworkPolicySchema = z.strictObject({
  apiVersion: z.literal('policy.networking.k8s.io/v1alpha2', { error: 'apiVersion must be policy.networking.k8s.io/v1alpha2' }),
  kind: z.literal('ClusterNetworkPolicy', { error: 'kind must be ClusterNetworkPolicy' }),
  // The NetworkPolicy metadata shape; a namespace parses, and the cluster scope then rejects it with a clear message.
  metadata: networkPolicySchema.shape.metadata,
  status: z.unknown().optional(),
  spec: z.strictObject({
    tier: z.enum(['Admin', 'Baseline'], { error: 'tier must be Admin or Baseline' }),
    priority: z.int({ error: 'priority must be an integer' }).min(0, { error: 'priority must be between 0 and 1000' }).max(1000, { error: 'priority must be between 0 and 1000' }).describe('lower first within a tier'),
    subject: z.strictObject({ namespaces: labelSelectorSchema.nullish(), pods: pods.nullish() }).describe('exactly one of namespaces, pods'),
    ingress: z
      .array(z.strictObject({ ...ruleFields, from: list(ingressPeer, 'from', 1).describe('namespaces or pods peers, each exactly one field') }))
      .max(MAX_ITEMS, { error: `ingress has at most ${MAX_ITEMS} rules` })
      .nullish(),
    egress: z
      .array(z.strictObject({ ...ruleFields, to: list(egressPeer, 'to', 1).describe('each peer exactly one field') }))
      .max(MAX_ITEMS, { error: `egress has at most ${MAX_ITEMS} rules` })
      .nullish(),
  }),
});
