import { findingsPerPolicy, type Report, type LintRule } from '../lint-rule.js';
import type { PathSegment } from '../path-text.js';
import { isMap, selectorsOf } from '../policy-view.js';
import { rawExpressions } from '../selector-view.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Label selectors the API server rejects: unknown operators, misplaced values, invalid label keys/values. */
export const badSelector: LintRule = {
  id: 'bad-selector',
  description: 'a label selector the API server rejects: unknown operator, values with Exists/DoesNotExist, NotIn without values, invalid label key or value',
  severity: 'error',
  check(input) {
    const findings = findingsPerPolicy(input, (source, report) => {
      for (const { value, path } of selectorsOf(source.value)) {
        if (isMap(value.matchLabels)) {
          for (const [key, v] of Object.entries(value.matchLabels)) {
            const at = [...path, 'matchLabels', key];
            checkKey(key, at, report);
            if (typeof v !== 'string') report(at, `the value of label "${key}" must be a string: YAML reads ${JSON.stringify(v)} as a ${v === null ? 'null' : typeof v}, so quote it ("${String(v ?? '')}")`);
            else checkValue(v, at, report);
          }
        }
        for (const { index, value: req } of rawExpressions(value)) {
          const at = [...path, 'matchExpressions', index];
          if (typeof req.key !== 'string') report(at, 'a matchExpressions entry needs a string `key`');
          else checkKey(req.key, [...at, 'key'], report);
          const op = req.operator;
          const values = req.values;
          const hasValues = Array.isArray(values) && values.length > 0;
          if (typeof op !== 'string' || !OPERATORS.includes(op)) {
            report([...at, 'operator'], `unknown operator ${JSON.stringify(op)}: use one of ${OPERATORS.join(', ')} (case-sensitive)`);
          } else if ((op === 'Exists' || op === 'DoesNotExist') && hasValues) {
            report([...at, 'values'], `\`values\` must be empty with operator ${op}`);
          } else if (op === 'NotIn' && !hasValues) {
            report(at, 'operator NotIn needs at least one value');
          }
          if (Array.isArray(values)) {
            values.forEach((v, i) => {
              if (typeof v !== 'string') report([...at, 'values', i], `selector values must be strings: quote ${JSON.stringify(v)}`);
              else checkValue(v, [...at, 'values', i], report);
            });
          } else if (values !== undefined && values !== null) {
            report([...at, 'values'], '`values` must be a list of strings');
          }
        }
      }
    });
    return findings;
  },
};


function checkKey(key: string, at: readonly PathSegment[], report: Report): void {
  const slash = key.indexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  const prefixOk = prefix === undefined || (prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix));
  if (!prefixOk || name.length > 63 || !NAME.test(name)) {
    report(at, `"${key}" is not a valid label key ([prefix/]name: name at most 63 characters of letters, digits, "-", "_", "." starting and ending alphanumeric; prefix a DNS subdomain)`);
  }
}

function checkValue(value: string, at: readonly PathSegment[], report: Report): void {
  if (value !== '' && (value.length > 63 || !NAME.test(value))) {
    report(at, `"${value}" is not a valid label value (at most 63 characters of letters, digits, "-", "_", "." starting and ending alphanumeric)`);
  }
}
