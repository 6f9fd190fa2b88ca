import { findingsPerPolicy, type Report, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { isMap, type RawMap } from '../policy-view.js';
import { SCHEMA, type FieldType, type SchemaLevel } from '../policy-schema.js';
import { walkSchema } from '../walk-schema.js';

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
// IANA_SVC_NAME, the syntax of a named port.
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9]|-(?!-))*[a-z0-9]$|^[a-z]$/;

/** Values of the wrong type or out of range: the API server would reject the policy. */
export const badValue: LintRule = {
  id: 'bad-value',
  description: 'a value of the wrong type or out of range (list vs map, port, protocol, policyTypes, apiVersion, name)',
  severity: 'error',
  check(input) {
    const findings = findingsPerPolicy(input, (source, report) => {
      walkSchema(source.value, (level, map, path) => {
        checkTypes(level, map, path, report);
        checkValues(level, map, path, report);
      });
      const metadata = source.value.metadata;
      if (!isMap(metadata) || (metadata.name === undefined && metadata.generateName === undefined)) report(['metadata'], 'metadata.name is required');
    });
    return findings;
  },
};


function checkTypes(level: SchemaLevel, map: RawMap, path: readonly PathSegment[], report: Report): void {
  for (const [key, field] of Object.entries(SCHEMA[level])) {
    const value = map[key];
    // null is how YAML writes an empty value (`ingress:`); the API server treats it as absent.
    if (value === undefined || value === null) continue;
    const problem = typeProblem(field.type, value, level === 'selector');
    if (problem) report([...path, key], `\`${key}\` ${problem}`);
  }
}

function typeProblem(type: FieldType, value: unknown, inSelector: boolean): string | undefined {
  switch (type) {
    case 'map':
      return isMap(value) ? undefined : `must be a map, not ${describe(value)}`;
    case 'list':
      return Array.isArray(value) ? undefined : `must be a list (write its entries with "- "), not ${describe(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, not ${describe(value)}`;
    case 'string-map':
      if (!isMap(value)) return `must be a map, not ${describe(value)}`;
      // Selector values are checked (with their syntax) by bad-selector.
      if (inSelector) return undefined;
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

function checkValues(level: SchemaLevel, map: RawMap, path: readonly PathSegment[], report: Report): void {
  switch (level) {
    case 'policy':
      if (map.kind === 'NetworkPolicy' && typeof map.apiVersion === 'string' && map.apiVersion !== 'networking.k8s.io/v1') {
        report([...path, 'apiVersion'], `apiVersion must be networking.k8s.io/v1, not "${map.apiVersion}"`);
      }
      break;
    case 'metadata':
      if (typeof map.name === 'string' && (map.name.length > 253 || !DNS_SUBDOMAIN.test(map.name))) {
        report([...path, 'name'], `"${map.name}" is not a valid name (lowercase letters, digits, "-" and ".", at most 253 characters)`);
      }
      if (typeof map.namespace === 'string' && (map.namespace.length > 63 || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(map.namespace))) {
        report([...path, 'namespace'], `"${map.namespace}" is not a valid namespace name`);
      }
      break;
    case 'spec':
      if (Array.isArray(map.policyTypes)) {
        map.policyTypes.forEach((t, i) => {
          if (t !== 'Ingress' && t !== 'Egress') report([...path, 'policyTypes', i], `policyTypes entries must be Ingress or Egress, not ${JSON.stringify(t)}`);
        });
      }
      break;
    case 'port':
      checkPort(map, path, report);
      break;
    default:
      break;
  }
}

function checkPort(map: RawMap, path: readonly PathSegment[], report: Report): void {
  const { protocol, port, endPort } = map;
  if (protocol !== undefined && protocol !== null && protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') {
    report([...path, 'protocol'], `protocol must be TCP, UDP or SCTP (upper case), not ${JSON.stringify(protocol)}`);
  }
  if (typeof port === 'number') {
    if (!isPortNumber(port)) report([...path, 'port'], `port must be between 1 and 65535, not ${port}`);
  } else if (typeof port === 'string') {
    if (port.length > 15 || !PORT_NAME.test(port)) {
      report([...path, 'port'], `"${port}" is neither a port number nor a valid port name (lowercase letters, digits and "-", at most 15 characters)`);
    }
  } else if (port !== undefined && port !== null) {
    report([...path, 'port'], `port must be a number or a port name, not ${describe(port)}`);
  }
  if (endPort !== undefined && endPort !== null && !(typeof endPort === 'number' && isPortNumber(endPort))) {
    report([...path, 'endPort'], `endPort must be a port number between 1 and 65535, not ${describe(endPort)}`);
  }
}

function isPortNumber(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}
