import {
  ISTIO_CUSTOM_VERDICT_ANNOTATION,
  ISTIO_DRY_RUN_ANNOTATION,
  ISTIO_ROOT_NAMESPACE,
  type AuthorizationPolicy,
  type IstioCondition,
  type IstioOperation,
  type IstioSource,
  type Topology,
} from '../../model/index.js';
import {
  parseIstioConditionKey,
  parseIstioNamespace,
  parseIstioPathMatch,
  parseIstioPort,
  parseIstioPrincipal,
  parseIstioServiceAccount,
  parseIstioStringMatch,
  type L7ParseOutcome,
} from '../../model/l7/index.js';
import type { DocPath, IssueList } from '../issue-list.js';
import { checkDnsLabel, checkDnsSubdomain } from '../k8s-syntax.js';
import { checkLabels } from '../normalize-topology.js';
import { checkCidrText } from '../validate-policy.js';
import type { YamlDocument } from '../yaml-source.js';
import { ciliumCidrText } from './cilium-policy-document.js';
import { valueAt } from './validate-cilium-policy.js';
import type { LocatedPolicyOf } from './policy-kind-module.js';

interface Ctx {
  readonly doc: YamlDocument;
  readonly issues: IssueList;
  readonly topology: Topology;
  readonly namespace: string;
}

/** What parses one kind of value; `undefined` = any non-empty string. */
type ValueParser = ((value: string, ctx: Ctx, path: DocPath) => void) | undefined;

const matcher = (parse: (v: string, ns: string) => L7ParseOutcome<unknown>): ValueParser => (value, ctx, path) => {
  const parsed = parse(value, ctx.namespace);
  if (!parsed.ok) ctx.issues.error(ctx.doc, path, parsed.message);
};

/** An IP, a CIDR or an address placeholder (a bare address is a host CIDR, as istiod's AddrStrToCidrRange reads it). */
const address: ValueParser = (value, ctx, path) => {
  checkCidrText(ciliumCidrText(value), path, ctx.doc, ctx.issues, ctx.topology);
};

const SOURCE_FIELDS: Readonly<Record<keyof IstioSource, ValueParser>> = {
  principals: matcher(parseIstioPrincipal),
  notPrincipals: matcher(parseIstioPrincipal),
  requestPrincipals: matcher(parseIstioStringMatch),
  notRequestPrincipals: matcher(parseIstioStringMatch),
  namespaces: matcher(parseIstioNamespace),
  notNamespaces: matcher(parseIstioNamespace),
  serviceAccounts: matcher(parseIstioServiceAccount),
  notServiceAccounts: matcher(parseIstioServiceAccount),
  ipBlocks: address,
  notIpBlocks: address,
  remoteIpBlocks: address,
  notRemoteIpBlocks: address,
};

const OPERATION_FIELDS: Readonly<Record<keyof IstioOperation, ValueParser>> = {
  hosts: matcher(parseIstioStringMatch),
  notHosts: matcher(parseIstioStringMatch),
  ports: matcher(parseIstioPort),
  notPorts: matcher(parseIstioPort),
  methods: matcher(parseIstioStringMatch),
  notMethods: matcher(parseIstioStringMatch),
  paths: matcher(parseIstioPathMatch),
  notPaths: matcher(parseIstioPathMatch),
};

/**
 * The checks istiod's validation (`pkg/config/security/security.go`, `pkg/config/validation`) makes, with
 * positions, plus netseg's own: the namespace is a topology namespace or the root namespace; names and
 * labels; selector or targetRefs, not both; CUSTOM with a provider (and netseg's verdict annotation, if
 * any, allow or deny); every value through the model/l7 parser both oracles use; empty lists rejected
 * (proto3 cannot tell them from absent ones, so they would silently widen a rule).
 */
export function validateAuthorizationPolicy({ policy, doc, path }: LocatedPolicyOf<AuthorizationPolicy>, topology: Topology, issues: IssueList): void {
  const { metadata, spec } = policy;
  const at = (...rest: DocPath) => [...path, ...rest];
  const nameProblem = checkDnsSubdomain(metadata.name, 'policy name');
  if (nameProblem) issues.error(doc, at('metadata', 'name'), nameProblem);
  checkNamespace(metadata.namespace, at('metadata', 'namespace'), { doc, issues, topology });
  if (metadata.labels) checkLabels({ ...metadata.labels }, at('metadata', 'labels'), doc, issues);
  checkAnnotations(policy, at('metadata', 'annotations'), doc, issues);
  const raw = valueAt(doc.value, [...path, 'spec']) as Readonly<Record<string, unknown>> | undefined;
  if (raw?.targetRef !== undefined) issues.error(doc, at('spec', 'targetRef'), 'targetRef is deprecated and not supported: write targetRefs');
  if (spec.selector) {
    checkLabels({ ...spec.selector.matchLabels }, at('spec', 'selector', 'matchLabels'), doc, issues);
    if (spec.targetRefs) issues.error(doc, at('spec', 'selector'), 'only one of selector or targetRefs can be set (istiod rejects both)');
  }
  spec.targetRefs?.forEach((ref, i) => {
    if (ref.namespace !== undefined && ref.namespace !== metadata.namespace) issues.error(doc, at('spec', 'targetRefs', i, 'namespace'), `targetRefs[${i}].namespace must be the policy's namespace "${metadata.namespace}"`);
  });
  if (spec.action === 'CUSTOM' && !spec.provider?.name) issues.error(doc, at('spec', spec.provider ? 'provider' : 'action'), 'a CUSTOM policy needs provider.name (the extension provider of the mesh config)');
  if (spec.action !== 'CUSTOM' && spec.provider) issues.error(doc, at('spec', 'provider'), `provider is only allowed with action CUSTOM, not ${spec.action}`);
  const ctx: Ctx = { doc, issues, topology, namespace: metadata.namespace };
  checkNonEmpty(raw?.rules, at('spec', 'rules'), 'rules', ctx);
  spec.rules?.forEach((rule, i) => {
    const rulePath = at('spec', 'rules', i);
    checkNonEmpty(rule.from, [...rulePath, 'from'], 'from', ctx);
    checkNonEmpty(rule.to, [...rulePath, 'to'], 'to', ctx);
    checkNonEmpty(rule.when, [...rulePath, 'when'], 'when', ctx);
    rule.from?.forEach((f, j) => checkSource(f.source, [...rulePath, 'from', j, 'source'], ctx));
    rule.to?.forEach((t, j) => checkFields(t.operation, OPERATION_FIELDS, [...rulePath, 'to', j, 'operation'], '`to.operation`', ctx));
    rule.when?.forEach((c, j) => checkCondition(c, [...rulePath, 'when', j], ctx));
  });
}

/** A namespace of the topology, or the root namespace (which holds mesh-wide policies and may have no pods). */
function checkNamespace(namespace: string, path: DocPath, ctx: Pick<Ctx, 'doc' | 'issues' | 'topology'>): void {
  const problem = checkDnsLabel(namespace, 'namespace');
  if (problem) ctx.issues.error(ctx.doc, path, problem);
  else if (namespace !== ISTIO_ROOT_NAMESPACE && !ctx.topology.namespaces.some((n) => n.name === namespace)) {
    ctx.issues.error(ctx.doc, path, `namespace "${namespace}" is not in the topology (nor the mesh root namespace ${ISTIO_ROOT_NAMESPACE})`);
  }
}

function checkAnnotations(policy: AuthorizationPolicy, path: DocPath, doc: YamlDocument, issues: IssueList): void {
  const annotations = policy.metadata.annotations ?? {};
  const dryRun = annotations[ISTIO_DRY_RUN_ANNOTATION];
  if (dryRun !== undefined && dryRun !== 'true' && dryRun !== 'false') issues.error(doc, [...path, ISTIO_DRY_RUN_ANNOTATION], `${ISTIO_DRY_RUN_ANNOTATION} must be "true" or "false"`);
  const verdict = annotations[ISTIO_CUSTOM_VERDICT_ANNOTATION];
  if (verdict === undefined) return;
  if (policy.spec.action !== 'CUSTOM') issues.error(doc, [...path, ISTIO_CUSTOM_VERDICT_ANNOTATION], `${ISTIO_CUSTOM_VERDICT_ANNOTATION} states a CUSTOM provider's verdict; this policy's action is ${policy.spec.action}`);
  else if (verdict !== 'allow' && verdict !== 'deny') issues.error(doc, [...path, ISTIO_CUSTOM_VERDICT_ANNOTATION], `${ISTIO_CUSTOM_VERDICT_ANNOTATION} must be "allow" or "deny"`);
}

function checkSource(source: IstioSource, path: DocPath, ctx: Ctx): void {
  checkFields(source, SOURCE_FIELDS, path, '`from.source`', ctx);
  const accounts = source.serviceAccounts ?? source.notServiceAccounts;
  if (accounts === undefined) return;
  const other = (['principals', 'notPrincipals', 'namespaces', 'notNamespaces'] as const).find((f) => source[f] !== undefined);
  if (other) ctx.issues.error(ctx.doc, [...path, source.serviceAccounts ? 'serviceAccounts' : 'notServiceAccounts'], `serviceAccounts cannot be combined with ${other} in one source (istiod rejects it)`);
}

/** Every list of a source or operation: non-empty, values non-empty and parsed; the object itself not empty. */
function checkFields<T extends object>(value: T, parsers: Readonly<Record<keyof T, ValueParser>>, path: DocPath, what: string, ctx: Ctx): void {
  const present = (Object.keys(parsers) as (keyof T & string)[]).filter((f) => value[f] !== undefined);
  if (present.length === 0) ctx.issues.error(ctx.doc, path, `${what} must not be empty (istiod rejects it)`);
  for (const field of present) {
    const values = value[field] as readonly string[];
    checkValues(values, [...path, field], field, parsers[field], ctx);
  }
}

function checkValues(values: readonly string[], path: DocPath, field: string, parse: ValueParser, ctx: Ctx): void {
  checkNonEmpty(values, path, field, ctx);
  values.forEach((v, k) => {
    if (v === '') ctx.issues.error(ctx.doc, [...path, k], `empty value not allowed in ${field} (istiod rejects it)`);
    else parse?.(v, ctx, [...path, k]);
  });
}

function checkCondition(condition: IstioCondition, path: DocPath, ctx: Ctx): void {
  const key = parseIstioConditionKey(condition.key);
  if (!key.ok) ctx.issues.error(ctx.doc, [...path, 'key'], key.message);
  if (condition.values === undefined && condition.notValues === undefined) ctx.issues.error(ctx.doc, path, `condition "${condition.key}" needs values or notValues`);
  const attribute = key.ok ? key.matcher.attribute : undefined;
  const parse: ValueParser =
    attribute === 'source.ip' || attribute === 'destination.ip' || attribute === 'remote.ip'
      ? address
      : attribute === 'destination.port'
        ? matcher(parseIstioPort)
        : attribute === 'source.namespace'
          ? matcher(parseIstioNamespace)
          : attribute === 'source.principal'
            ? matcher(parseIstioPrincipal)
            : undefined;
  for (const field of ['values', 'notValues'] as const) if (condition[field] !== undefined) checkValues(condition[field], [...path, field], field, parse, ctx);
}

function checkNonEmpty(list: unknown, path: DocPath, field: string, ctx: Ctx): void {
  if (Array.isArray(list) && list.length === 0) ctx.issues.error(ctx.doc, path, `${field} is an empty list, which Istio reads as absent: remove it or give it entries`);
}
