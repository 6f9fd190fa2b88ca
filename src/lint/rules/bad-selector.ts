import { checkLabelKey, checkLabelValue } from '../../scenario/k8s-syntax.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { selectorsOf } from '../policy-view.js';
import { SCHEMA } from '../policy-schema.js';
import { rawExpressions } from '../selector-view.js';
import { checkLabelMap, stringProblem } from '../string-value.js';

const OPERATORS = SCHEMA.requirement.operator?.values ?? [];

/** Label selectors the API server rejects: unknown operators, misplaced or missing values, invalid label keys/values. */
export const badSelector: LintRule = {
  id: 'bad-selector',
  description: 'a label selector the API server rejects: unknown operator, values with Exists/DoesNotExist, In/NotIn without values, invalid label key or value',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      for (const { value, path } of selectorsOf(source.value)) {
        checkLabelMap(source, value.matchLabels, [...path, 'matchLabels'], report);
        for (const { index, value: req } of rawExpressions(value)) {
          const at = [...path, 'matchExpressions', index];
          if (typeof req.key !== 'string') report(at, 'a matchExpressions entry needs a string `key`');
          else {
            const badKey = checkLabelKey(req.key);
            if (badKey) report([...at, 'key'], badKey);
          }
          const op = req.operator;
          const values = req.values;
          const hasValues = Array.isArray(values) && values.length > 0;
          if (typeof op !== 'string' || !OPERATORS.includes(op)) {
            report([...at, 'operator'], `unknown operator ${JSON.stringify(op)}: use one of ${OPERATORS.join(', ')} (case-sensitive)`);
          } else if ((op === 'Exists' || op === 'DoesNotExist') && hasValues) {
            report([...at, 'values'], `\`values\` must be empty with operator ${op}`);
          } else if ((op === 'In' || op === 'NotIn') && !hasValues) {
            report(Array.isArray(values) ? [...at, 'values'] : [...at, 'operator'], `operator ${op} needs at least one value`);
          }
          if (Array.isArray(values)) {
            values.forEach((v, i) => {
              const problem = stringProblem(source, v, [...at, 'values', i], 'a selector value') ?? (typeof v === 'string' ? checkLabelValue(v) : undefined);
              if (problem) report([...at, 'values', i], problem);
            });
          } else if (values !== undefined && values !== null) {
            report([...at, 'values'], '`values` must be a list of strings');
          }
        }
      }
    });
  },
};
