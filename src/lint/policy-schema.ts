// Where every NetworkPolicy field lives, so misplaced fields can be explained and typos suggested.

/** The kind of map a position in a NetworkPolicy is. */
export type SchemaLevel =
  | 'policy'
  | 'metadata'
  | 'spec'
  | 'ingress-rule'
  | 'egress-rule'
  | 'peer'
  | 'ip-block'
  | 'port'
  | 'selector'
  | 'requirement';

/** Expected value type of a field. */
export type FieldType = 'map' | 'list' | 'string' | 'string-map' | 'any';

/** The fields each level allows, with their expected types and (for maps/lists of maps) the child level. */
export const SCHEMA: Readonly<Record<SchemaLevel, Readonly<Record<string, { type: FieldType; child?: SchemaLevel }>>>> = {
  policy: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: { type: 'map', child: 'metadata' },
    spec: { type: 'map', child: 'spec' },
    // `kubectl get -o yaml` output carries an (empty) status; harmless.
    status: { type: 'any' },
  },
  metadata: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    labels: { type: 'string-map' },
    annotations: { type: 'string-map' },
    generateName: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'any' },
    creationTimestamp: { type: 'any' },
    deletionTimestamp: { type: 'any' },
    deletionGracePeriodSeconds: { type: 'any' },
    managedFields: { type: 'list' },
    ownerReferences: { type: 'list' },
    finalizers: { type: 'list' },
    selfLink: { type: 'string' },
  },
  spec: {
    podSelector: { type: 'map', child: 'selector' },
    policyTypes: { type: 'list' },
    ingress: { type: 'list', child: 'ingress-rule' },
    egress: { type: 'list', child: 'egress-rule' },
  },
  'ingress-rule': {
    from: { type: 'list', child: 'peer' },
    ports: { type: 'list', child: 'port' },
  },
  'egress-rule': {
    to: { type: 'list', child: 'peer' },
    ports: { type: 'list', child: 'port' },
  },
  peer: {
    podSelector: { type: 'map', child: 'selector' },
    namespaceSelector: { type: 'map', child: 'selector' },
    ipBlock: { type: 'map', child: 'ip-block' },
  },
  'ip-block': {
    cidr: { type: 'string' },
    except: { type: 'list' },
  },
  port: {
    protocol: { type: 'string' },
    port: { type: 'any' },
    endPort: { type: 'any' },
  },
  selector: {
    matchLabels: { type: 'string-map' },
    matchExpressions: { type: 'list', child: 'requirement' },
  },
  requirement: {
    key: { type: 'string' },
    operator: { type: 'string' },
    values: { type: 'list' },
  },
};

/** Where a key that is unknown at some level belongs, in words (for "did you mean to put it …"). */
export const HOME_OF_KEY: Readonly<Record<string, string>> = {
  apiVersion: 'at the top level of the policy',
  kind: 'at the top level of the policy',
  metadata: 'at the top level of the policy',
  spec: 'at the top level of the policy',
  name: 'under metadata',
  namespace: 'under metadata',
  labels: 'under metadata (or matchLabels inside a selector)',
  annotations: 'under metadata',
  podSelector: 'under spec (which pods the policy selects) or in a peer of spec.ingress[].from / spec.egress[].to',
  policyTypes: 'under spec',
  ingress: 'under spec',
  egress: 'under spec',
  from: 'in an ingress rule: spec.ingress[].from',
  to: 'in an egress rule: spec.egress[].to',
  ports: 'in a rule: spec.ingress[].ports or spec.egress[].ports',
  namespaceSelector: 'in a peer of spec.ingress[].from / spec.egress[].to',
  ipBlock: 'in a peer of spec.ingress[].from / spec.egress[].to',
  cidr: 'inside an ipBlock',
  except: 'inside an ipBlock',
  port: 'in a ports entry of a rule (spec.ingress[].ports[] / spec.egress[].ports[])',
  endPort: 'in a ports entry of a rule (spec.ingress[].ports[] / spec.egress[].ports[])',
  protocol: 'in a ports entry of a rule (spec.ingress[].ports[] / spec.egress[].ports[])',
  matchLabels: 'inside a selector (spec.podSelector, or podSelector / namespaceSelector of a peer)',
  matchExpressions: 'inside a selector (spec.podSelector, or podSelector / namespaceSelector of a peer)',
  key: 'in a matchExpressions entry',
  operator: 'in a matchExpressions entry',
  values: 'in a matchExpressions entry',
};

/** Describes a level for messages. */
export function levelName(level: SchemaLevel): string {
  switch (level) {
    case 'policy': return 'the top level of a NetworkPolicy';
    case 'metadata': return 'metadata';
    case 'spec': return 'spec';
    case 'ingress-rule': return 'an ingress rule';
    case 'egress-rule': return 'an egress rule';
    case 'peer': return 'a peer';
    case 'ip-block': return 'an ipBlock';
    case 'port': return 'a ports entry';
    case 'selector': return 'a label selector';
    case 'requirement': return 'a matchExpressions entry';
  }
}
