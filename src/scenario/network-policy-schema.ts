import { z } from 'zod';

// Strict objects everywhere: a field at the wrong level (e.g. `ports` under `spec`) must be an error,
// because Kubernetes would silently drop it and the policy would mean something else.

const labelMap = z.record(z.string(), z.string({ error: 'label values must be strings (quote numbers and booleans)' }));

/** A Kubernetes label selector (matchLabels + matchExpressions). */
export const labelSelectorSchema = z.strictObject({
  matchLabels: labelMap.optional(),
  matchExpressions: z
    .array(
      z.strictObject({
        key: z.string(),
        operator: z.enum(['In', 'NotIn', 'Exists', 'DoesNotExist'], { error: 'operator must be one of In, NotIn, Exists, DoesNotExist' }),
        values: z.array(z.string({ error: 'selector values must be strings' })).optional(),
      }),
    )
    .optional(),
});

const portNumber = z.int({ error: 'port must be an integer' }).min(1, { error: 'port must be between 1 and 65535' }).max(65535, { error: 'port must be between 1 and 65535' });

const policyPort = z.strictObject({
  protocol: z.enum(['TCP', 'UDP', 'SCTP'], { error: 'protocol must be TCP, UDP or SCTP' }).optional(),
  port: z.union([portNumber, z.string()]).optional(),
  endPort: portNumber.optional(),
});

const peer = z.strictObject({
  podSelector: labelSelectorSchema.optional(),
  namespaceSelector: labelSelectorSchema.optional(),
  ipBlock: z.strictObject({ cidr: z.string(), except: z.array(z.string()).optional() }).optional(),
});

/** A networking.k8s.io/v1 NetworkPolicy as netseg accepts it (inline in a scenario or from a manifest file). */
export const networkPolicySchema = z.strictObject({
  apiVersion: z.literal('networking.k8s.io/v1', { error: 'apiVersion must be networking.k8s.io/v1' }),
  kind: z.literal('NetworkPolicy', { error: 'kind must be NetworkPolicy' }),
  metadata: z.strictObject({
    name: z.string(),
    namespace: z.string().optional(),
    labels: labelMap.optional(),
    annotations: z.record(z.string(), z.string()).optional(),
  }),
  spec: z.strictObject({
    podSelector: labelSelectorSchema,
    policyTypes: z.array(z.enum(['Ingress', 'Egress'], { error: 'policyTypes entries must be Ingress or Egress' })).optional(),
    ingress: z.array(z.strictObject({ from: z.array(peer).optional(), ports: z.array(policyPort).optional() })).optional(),
    egress: z.array(z.strictObject({ to: z.array(peer).optional(), ports: z.array(policyPort).optional() })).optional(),
  }),
});

/** The parsed (not yet normalized) shape of a NetworkPolicy document. */
export type NetworkPolicyInput = z.infer<typeof networkPolicySchema>;
