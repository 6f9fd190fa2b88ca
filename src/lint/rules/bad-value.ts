import { checkDnsLabel, checkDnsSubdomain, checkPortName } from '../../scenario/k8s-syntax.js';
import { findingsPerPolicy, type Report, type LintRule } from '../lint-rule.js';
import type { PolicySource } from '../lint-input.js';
import type { PathSegment } from '../path-text.js';
import { isMap, type RawMap } from '../policy-view.js';
import { levelName, SCHEMA, type FieldType, type SchemaField, type SchemaLevel } from '../policy-schema.js';
import { checkLabelMap, stringProblem } from '../string-value.js';
import { walkSchema } from '../walk-schema.js';

/** Values of the wrong type, missing or out of range: the API server (and `netseg check`) would reject the policy. */
export const badValue: LintRule = {
  id: 'bad-value',
  description: 'a value of the wrong type, missing or out of range (list vs map, apiVersion, kind, name, labels, policyTypes, port, protocol)',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      walkSchema(source.value, (level, map, path) => {
        for (const [key, field] of Object.entries(SCHEMA[level])) checkField(key, field, level, map, path, report);
        checkLevel(source, level, map, path, report);
      });
    });
  },
};

function checkField(key: string, field: SchemaField, level: SchemaLevel, map: RawMap, path: readonly PathSegment[], report: Report): void {
  const value = map[key];
  // null is how YAML writes an empty value (`ingress:`); the API server treats it as absent.
  if (value === undefined || value === null) {
    // A missing cidr or matchExpressions key has a more specific message from its own rule.
    if (field.required && level !== 'ip-block' && level !== 'requirement') report(path, `\`${key}\` is required in ${levelName(level)}`);
    return;
  }
  const problem = typeProblem(field.type, value, level === 'selector' || level === 'metadata');
  if (problem) {
    report([...path, key], `\`${key}\` ${problem}`);
    return;
  }
  // The entries of a list of objects (rules, peers, ports, requirements) must be maps themselves.
  if (field.child && Array.isArray(value)) {
    value.forEach((item, i) => {
      if (!isMap(item)) report([...path, key, i], `each entry of \`${key}\` must be a map, not ${describe(item)}`);
    });
  }
  // Operators have their own message (bad-selector).
  if (!field.values || level === 'requirement') return;
  const allowed = field.values;
  const check = (v: unknown, at: readonly PathSegment[]): void => {
    if (typeof v !== 'string' || !allowed.includes(v)) report(at, `\`${key}\` must be ${allowed.length === 1 ? allowed[0] : `one of ${allowed.join(', ')}`} (case-sensitive), not ${describe(v)}`);
  };
  if (Array.isArray(value)) value.forEach((v, i) => check(v, [...path, key, i]));
  else check(value, [...path, key]);
}

function typeProblem(type: FieldType, value: unknown, valuesCheckedElsewhere: boolean): string | undefined {
  switch (type) {
    case 'map':
      return isMap(value) ? undefined : `must be a map, not ${describe(value)}`;
    case 'list':
      return Array.isArray(value) ? undefined : `must be a list (write its entries with "- "), not ${describe(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, not ${describe(value)}`;
    case 'string-map':
      if (!isMap(value)) return `must be a map, not ${describe(value)}`;
      // Label and annotation values are checked with what YAML made of them (checkLabelMap).
      if (valuesCheckedElsewhere) return undefined;
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') return `value of "${k}" must be a string (quote it), not ${describe(v)}`;
      }
      return undefined;
    case 'any':
      return undefined;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isMap(value)) return 'a map';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function checkLevel(source: PolicySource, level: SchemaLevel, map: RawMap, path: readonly PathSegment[], report: Report): void {
  switch (level) {
    case 'metadata':
      checkMetadata(source, map, path, report);
      break;
    case 'spec':
      checkPolicyTypes(map, path, report);
      break;
    case 'port':
      checkPort(map, path, report);
      break;
    default:
      break;
  }
}

function checkMetadata(source: PolicySource, map: RawMap, path: readonly PathSegment[], report: Report): void {
  if (typeof map.name === 'string') {
    const bad = checkDnsSubdomain(map.name, 'policy name');
    if (bad) report([...path, 'name'], bad);
  }
  if (typeof map.namespace === 'string') {
    const bad = checkDnsLabel(map.namespace, 'namespace');
    if (bad) report([...path, 'namespace'], bad);
  }
  checkLabelMap(source, map.labels, [...path, 'labels'], report);
  if (isMap(map.annotations)) {
    for (const [key, value] of Object.entries(map.annotations)) {
      const problem = stringProblem(source, value, [...path, 'annotations', key], `the value of annotation "${key}"`);
      if (problem) report([...path, 'annotations', key], problem);
    }
  }
}

function checkPolicyTypes(spec: RawMap, path: readonly PathSegment[], report: Report): void {
  if (!Array.isArray(spec.policyTypes)) return;
  const seen = new Set<unknown>();
  spec.policyTypes.forEach((t, i) => {
    if (seen.has(t)) report([...path, 'policyTypes', i], `policyTypes lists ${JSON.stringify(t)} twice: the API server rejects duplicates`);
    seen.add(t);
  });
  if (spec.policyTypes.length > 2) report([...path, 'policyTypes'], `policyTypes has ${spec.policyTypes.length} entries: at most two (Ingress, Egress)`);
}

function checkPort(map: RawMap, path: readonly PathSegment[], report: Report): void {
  const { port, endPort } = map;
  if (typeof port === 'number') {
    if (!isPortNumber(port)) report([...path, 'port'], `port must be between 1 and 65535, not ${port}`);
  } else if (typeof port === 'string') {
    const bad = /^\d+$/.test(port) ? `port "${port}" is a string; write it as a number` : checkPortName(port);
    if (bad) report([...path, 'port'], bad);
  } else if (port !== undefined && port !== null) {
    report([...path, 'port'], `port must be a number or a port name, not ${describe(port)}`);
  }
  if (endPort === undefined || endPort === null) return;
  if (!(typeof endPort === 'number' && isPortNumber(endPort))) report([...path, 'endPort'], `endPort must be a port number between 1 and 65535, not ${describe(endPort)}`);
  else if (typeof port === 'string') report([...path, 'endPort'], `endPort cannot be combined with a named port ("${port}"): the API server rejects it`);
  else if (port === undefined || port === null) report([...path, 'endPort'], 'endPort without port: the API server rejects it; set port to the start of the range');
  else if (typeof port === 'number' && endPort < port) report([...path, 'endPort'], `endPort ${endPort} is below port ${port}: the API server rejects an empty range`);
}

function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
