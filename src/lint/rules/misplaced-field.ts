import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { HOME_OF_KEY, levelName, SCHEMA, UNSUPPORTED_KEY, type SchemaLevel } from '../policy-schema.js';
import { walkSchema } from '../walk-schema.js';

/** Fields at the wrong level or unknown to the NetworkPolicy schema (Kubernetes drops or rejects them). */
export const misplacedField: LintRule = {
  id: 'misplaced-field',
  description: 'a field at the wrong level (e.g. `ports` directly under `spec`) or unknown to the NetworkPolicy schema',
  severity: 'error',
  kinds: ['NetworkPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      walkSchema(source.value, (level, map, path) => {
        for (const key of Object.keys(map)) {
          if (Object.prototype.hasOwnProperty.call(SCHEMA[level], key)) continue;
          report([...path, key], explain(level, key));
        }
      });
    });
  },
};

function explain(level: SchemaLevel, key: string): string {
  const where = levelName(level);
  if (level === 'egress-rule' && key === 'from') return '`from` in an egress rule: egress rules name their peers with `to`';
  if (level === 'ingress-rule' && key === 'to') return '`to` in an ingress rule: ingress rules name their peers with `from`';
  const unsupported = UNSUPPORTED_KEY[key];
  if (unsupported) return unsupported;
  const known = Object.keys(SCHEMA[level]);
  const sameButCase = known.find((k) => k.toLowerCase() === key.toLowerCase());
  if (sameButCase) return `unknown field \`${key}\` in ${where}: did you mean \`${sameButCase}\`? (field names are case-sensitive)`;
  const home = HOME_OF_KEY[key];
  if (home) return `\`${key}\` does not belong in ${where}: it belongs ${home}`;
  const close = known.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
  if (close) return `unknown field \`${key}\` in ${where}: did you mean \`${close}\`?`;
  return `unknown field \`${key}\` in ${where} (allowed: ${known.join(', ')})`;
}

/** Levenshtein distance; inputs are short field names. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}
