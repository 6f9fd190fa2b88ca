import type { LintRule } from '../lint-rule.js';
import { badCalicoPolicy } from './bad-calico-policy.js';
import { badCidr } from './bad-cidr.js';
import { badClusterNetworkPolicy } from './bad-cluster-network-policy.js';
import { badPeer } from './bad-peer.js';
import { badSelector } from './bad-selector.js';
import { badValue } from './bad-value.js';
import { calicoAllSelector } from './calico-all-selector.js';
import { calicoIgnoredRules } from './calico-ignored-rules.js';
import { calicoTierSwallows } from './calico-tier-swallows.js';
import { cidrHostBits } from './cidr-host-bits.js';
import { cnpAdminShadowsNetworkPolicy } from './cnp-admin-shadows-network-policy.js';
import { cnpBaselinePass } from './cnp-baseline-pass.js';
import { badCiliumPolicy } from './bad-cilium-policy.js';
import { ciliumCidrCatchesPods } from './cilium-cidr-catches-pods.js';
import { ciliumFqdnWithoutDns } from './cilium-fqdn-without-dns.js';
import { ciliumHttpPathNeverMatches } from './cilium-http-path-never-matches.js';
import { ciliumSubjectOtherNamespace } from './cilium-subject-other-namespace.js';
import { cnpNetworksCatchPods } from './cnp-networks-catch-pods.js';
import { cnpSamePriorityOverlap } from './cnp-same-priority-overlap.js';
import { cnpUnreachableRule } from './cnp-unreachable-rule.js';
import { dnsToAnywhere } from './dns-to-anywhere.js';
import { duplicateName } from './duplicate-name.js';
import { egressNotIsolated } from './egress-not-isolated.js';
import { egressWithoutDns } from './egress-without-dns.js';
import { ignoredRules } from './ignored-rules.js';
import { istioHttpFieldsOnTcp } from './istio-http-fields-on-tcp.js';
import { istioDryRun } from './istio-dry-run.js';
import { istioIdentityNeedsMtls } from './istio-identity-needs-mtls.js';
import { implicitPodSelector } from './implicit-pod-selector.js';
import { misplacedField } from './misplaced-field.js';
import { missingNamespace } from './missing-namespace.js';
import { neverMatches } from './never-matches.js';
import { peerAndVsOr } from './peer-and-vs-or.js';
import { selectsNoPod } from './selects-no-pod.js';
import { unknownNamedPort } from './unknown-named-port.js';
import { unknownReference } from './unknown-reference.js';

/** Every lint rule, in the order their findings are documented. */
export const LINT_RULES: readonly LintRule[] = [
  misplacedField,
  badValue,
  badSelector,
  badCidr,
  badPeer,
  peerAndVsOr,
  duplicateName,
  selectsNoPod,
  unknownNamedPort,
  unknownReference,
  egressWithoutDns,
  egressNotIsolated,
  dnsToAnywhere,
  ignoredRules,
  implicitPodSelector,
  cidrHostBits,
  neverMatches,
  missingNamespace,
  badClusterNetworkPolicy,
  cnpSamePriorityOverlap,
  cnpNetworksCatchPods,
  cnpBaselinePass,
  cnpAdminShadowsNetworkPolicy,
  cnpUnreachableRule,
  badCiliumPolicy,
  ciliumCidrCatchesPods,
  ciliumFqdnWithoutDns,
  ciliumHttpPathNeverMatches,
  ciliumSubjectOtherNamespace,
  badCalicoPolicy,
  calicoAllSelector,
  calicoIgnoredRules,
  calicoTierSwallows,
  istioHttpFieldsOnTcp,
  istioIdentityNeedsMtls,
  istioDryRun,
];
