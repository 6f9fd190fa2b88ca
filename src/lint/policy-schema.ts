// Where every NetworkPolicy field lives, read from the NetworkPolicy kind module's zod schema (the one
// `netseg check` and the JSON Schema use) so that lint and check accept the same fields; lint adds only
// the words (levels, homes of misplaced keys).
import type { z } from 'zod';
import { kindModule } from '../scenario/kinds/policy-kinds.js';

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

/** One field of a level: its type, whether it must be present, its child level and allowed values. */
export interface SchemaField {
  readonly type: FieldType;
  readonly required: boolean;
  /** The level of the map (or of each map in the list) the field holds. */
  readonly child?: SchemaLevel;
  /** The only values a string field (or each entry of a list field) may take. */
  readonly values?: readonly string[];
}

// The level each object-valued key opens; the keys are unambiguous across NetworkPolicy levels.
const LEVEL_OF_KEY: Readonly<Record<string, { readonly [parent: string]: SchemaLevel }>> = {
  metadata: { policy: 'metadata' },
  spec: { policy: 'spec' },
  podSelector: { spec: 'selector', peer: 'selector' },
  namespaceSelector: { peer: 'selector' },
  ingress: { spec: 'ingress-rule' },
  egress: { spec: 'egress-rule' },
  from: { 'ingress-rule': 'peer' },
  to: { 'egress-rule': 'peer' },
  ports: { 'ingress-rule': 'port', 'egress-rule': 'port' },
  ipBlock: { peer: 'ip-block' },
  matchExpressions: { selector: 'requirement' },
};

type AnyZod = z.core.$ZodType;

interface Def {
  readonly type: string;
  readonly innerType?: AnyZod;
  readonly element?: AnyZod;
  readonly shape?: Readonly<Record<string, AnyZod>>;
  readonly values?: readonly unknown[];
  readonly entries?: Readonly<Record<string, string>>;
}

function defOf(schema: AnyZod): Def {
  return schema._zod.def as unknown as Def;
}

/** Strips optional / nullable / default wrappers. */
function unwrap(schema: AnyZod): AnyZod {
  let s = schema;
  for (let def = defOf(s); def.innerType; def = defOf(s)) s = def.innerType;
  return s;
}

function allowedValues(def: Def): readonly string[] | undefined {
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'literal' && def.values) return def.values.map(String);
  return undefined;
}

/** Reads the zod object tree into levels; throws (at import time) when the schema grows a level lint cannot name. */
function deriveSchema(root: AnyZod): Record<SchemaLevel, Record<string, SchemaField>> {
  const levels: Partial<Record<SchemaLevel, Record<string, SchemaField>>> = {};
  const visit = (level: SchemaLevel, schema: AnyZod): void => {
    if (levels[level]) return;
    const fields: Record<string, SchemaField> = {};
    levels[level] = fields;
    for (const [key, wrapped] of Object.entries(defOf(schema).shape ?? {})) {
      // Optional, nullish and defaulted fields may be left out; the API server defaults the latter.
      const required = wrapped._zod.optin !== 'optional' && defOf(wrapped).type !== 'default';
      const inner = unwrap(wrapped);
      const def = defOf(inner);
      const element = def.type === 'array' && def.element ? unwrap(def.element) : undefined;
      const objectSchema = def.type === 'object' ? inner : element && defOf(element).type === 'object' ? element : undefined;
      let child: SchemaLevel | undefined;
      if (objectSchema) {
        child = LEVEL_OF_KEY[key]?.[level];
        if (!child) throw new Error(`policy-schema: no lint level for ${level}.${key}`);
        visit(child, objectSchema);
      }
      const values = allowedValues(element ? defOf(element) : def);
      fields[key] = { type: fieldType(def.type), required, ...(child ? { child } : {}), ...(values ? { values } : {}) };
    }
  };
  visit('policy', root);
  return levels as Record<SchemaLevel, Record<string, SchemaField>>;
}

function fieldType(zodType: string): FieldType {
  switch (zodType) {
    case 'object':
      return 'map';
    case 'array':
      return 'list';
    case 'string':
    case 'enum':
    case 'literal':
      return 'string';
    case 'record':
      return 'string-map';
    default:
      return 'any';
  }
}

/** The fields each level allows, with their expected types and (for maps/lists of maps) the child level. */
export const SCHEMA: Readonly<Record<SchemaLevel, Readonly<Record<string, SchemaField>>>> = deriveSchema(kindModule('NetworkPolicy').schema);

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

/** Fields the API server knows but netseg (and `kubectl apply`) cannot take, with the reason. */
export const UNSUPPORTED_KEY: Readonly<Record<string, string>> = {
  generateName: '`generateName` cannot be applied: `kubectl apply` (and netseg) need a fixed metadata.name',
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
