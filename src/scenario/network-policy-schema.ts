import { z } from 'zod';

// Optional fields accept null because Kubernetes treats null as absent (manifests often hold `matchLabels:`
// with nothing after it); nulls are stripped after parsing.
// Strict objects everywhere: a field at the wrong level (e.g. `ports` under `spec`) must be an error,
// because Kubernetes would silently drop it and the policy would mean something else.

const labelMap = z.record(z.string(), z.string({ error: 'label values must be strings (quote numbers and booleans)' }));

/** A Kubernetes label selector (matchLabels + matchExpressions). */
export const labelSelectorSchema = z.strictObject({
  matchLabels: labelMap.nullish(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], { error: 'operator must be one of In, NotIn, Exists, DoesNotExist' }),
        values: z.array(z.string({ error: 'selector values must be strings' })).nullish(),
      }),
    )
    .nullish(),
});

/** A port number 1–65535. */
export const portNumberSchema = z.int({ error: 'port must be an integer' }).min(1, { error: 'port must be between 1 and 65535' }).max(65535, { error: 'port must be between 1 and 65535' });

const policyPort = z.strictObject({
  protocol: z.enum(['TCP', 'UDP', 'SCTP'], { error: 'protocol must be TCP, UDP or SCTP' }).nullish(),
  port: z.union([portNumberSchema, z.string()]).nullish(),
  endPort: portNumberSchema.nullish(),
});

const peer = z.strictObject({
  podSelector: labelSelectorSchema.nullish(),
  namespaceSelector: labelSelectorSchema.nullish(),
  ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).nullish() }).nullish(),
});

/** A networking.k8s.io/v1 NetworkPolicy as netseg accepts it (inline in a scenario or from a manifest file). */
export const networkPolicySchema = z.strictObject({
  apiVersion: z.literal('networking.k8s.io/v1', { error: 'apiVersion must be networking.k8s.io/v1' }),
  kind: z.literal('NetworkPolicy', { error: 'kind must be NetworkPolicy' }),
  metadata: z.strictObject({
    name: z.string(),
    namespace: z.string().nullish(),
    labels: labelMap.nullish(),
    annotations: z.record(z.string(), z.string()).nullish(),
    // Server-populated fields, present in `kubectl get -o yaml` output: accepted and ignored so users
    // can point netseg at what the cluster holds.
    uid: z.unknown().optional(),
    resourceVersion: z.unknown().optional(),
    generation: z.unknown().optional(),
    creationTimestamp: z.unknown().optional(),
    managedFields: z.unknown().optional(),
    finalizers: z.unknown().optional(),
    ownerReferences: z.unknown().optional(),
    selfLink: z.unknown().optional(),
    deletionTimestamp: z.unknown().optional(),
    deletionGracePeriodSeconds: z.unknown().optional(),
  }),
  status: z.unknown().optional(),
  spec: z.strictObject({
    // The API server defaults an omitted podSelector to {} (every pod of the namespace); lint warns about it.
    podSelector: labelSelectorSchema.default({}),
    policyTypes: z.array(z.enum(['Ingress', 'Egress'], { error: 'policyTypes entries must be Ingress or Egress' })).nullish(),
    ingress: z.array(z.strictObject({ from: z.array(peer).nullish(), ports: z.array(policyPort).nullish() })).nullish(),
    egress: z.array(z.strictObject({ to: z.array(peer).nullish(), ports: z.array(policyPort).nullish() })).nullish(),
  }),
});

/** The parsed (not yet normalized) shape of a NetworkPolicy document. */
export type NetworkPolicyInput = z.infer<typeof networkPolicySchema>;
