import type { LintRule } from '../lint-rule.js';
import { badCidr } from './bad-cidr.js';
import { badSelector } from './bad-selector.js';
import { badValue } from './bad-value.js';
import { duplicateName } from './duplicate-name.js';
import { egressNotIsolated } from './egress-not-isolated.js';
import { egressWithoutDns } from './egress-without-dns.js';
import { misplacedField } from './misplaced-field.js';
import { missingNamespace } from './missing-namespace.js';
import { neverMatches } from './never-matches.js';
import { peerAndVsOr } from './peer-and-vs-or.js';
import { selectsNoPod } from './selects-no-pod.js';

/** Every lint rule, in the order their findings are documented. */
export const LINT_RULES: readonly LintRule[] = [
  misplacedField,
  badValue,
  badSelector,
  badCidr,
  peerAndVsOr,
  duplicateName,
  selectsNoPod,
  egressWithoutDns,
  egressNotIsolated,
  neverMatches,
  missingNamespace,
];
