import type { ProxyAcl, ProxySample } from './proxy-plan.js';

/**
 * An Istio string value as an HAProxy ACL (docs/l7-policy.md "Istio string values", istiod
 * `StringMatcherWithPrefix`): `*` alone = present and non-empty, a leading `*` = suffix (checked
 * first), a trailing `*` = prefix, else exact. `prefix` is prepended to the written value (the
 * `spiffe://` scheme istiod adds to principals).
 */
export function istioStringAcl(sample: ProxySample, value: string, options: { readonly ignoreCase?: boolean; readonly prefix?: string } = {}): ProxyAcl {
  const fold = options.ignoreCase ? { ignoreCase: true } : {};
  const p = options.prefix ?? '';
  if (value === '*') return { sample, match: 'nonempty', patterns: [], ...fold };
  if (value.startsWith('*')) return { sample, match: 'end', patterns: [value.slice(1)], ...fold };
  if (value.endsWith('*')) return { sample, match: 'beg', patterns: [`${p}${value.slice(0, -1)}`], ...fold };
  return { sample, match: 'str', patterns: [`${p}${value}`], ...fold };
}

/** Escapes a literal for a PCRE2 pattern. */
export function pcreQuote(literal: string): string {
  return literal.replace(/[\\^$.|?*+()[\]{}/-]/g, (c) => `\\${c}`);
}

/** RFC 3986 pchar without `*` and `=` (Envoy's literal template segment), as a PCRE2 class body. */
const PCHAR = "a-zA-Z0-9\\-._~%!$&'()+,;:@";

/**
 * An Istio path template (`{*}` one non-empty segment, `{**}` any run of segments) as an anchored
 * PCRE2 regex, written from Envoy's uri_template rules (docs/l7-policy.md); the loader has already
 * rejected malformed templates.
 */
export function pathTemplateRegex(template: string): string {
  const out = template
    .split(/(\{\*\*\}|\{\*\})/)
    .map((part) => (part === '{**}' ? `[${PCHAR}/]*` : part === '{*}' ? `[${PCHAR}]+` : pcreQuote(part)))
    .join('');
  return `^${out}$`;
}

/** The ACL of an Istio `paths` value: a template regex or a string match on the path without query. */
export function istioPathAcl(value: string): ProxyAcl {
  if (value.includes('{*}') || value.includes('{**}')) return { sample: { kind: 'path' }, match: 'reg', patterns: [pathTemplateRegex(value)] };
  return istioStringAcl({ kind: 'path' }, value);
}

/** The ACL of a `namespaces` value: istiod's regex `.*\/ns/<value, * → .*>/.*` on the whole SPIFFE principal. */
export function istioNamespaceAcl(value: string): ProxyAcl {
  const body = value.split('*').map(pcreQuote).join('.*');
  return { sample: { kind: 'spiffe' }, match: 'reg', patterns: [`^.*/ns/${body}/.*$`] };
}

/** The ACL of a `serviceAccounts` value (`ns/name` or `name`): istiod's `spiffe://.+/ns/<ns>/(.+/|)sa/<name>(/.+)?`. */
export function istioServiceAccountAcl(value: string, policyNamespace: string): ProxyAcl {
  const [first, second] = value.split('/');
  const [ns, name] = second === undefined ? [policyNamespace, first ?? ''] : [first ?? '', second];
  return { sample: { kind: 'spiffe' }, match: 'reg', patterns: [`^spiffe://.+/ns/${pcreQuote(ns)}/(.+/|)sa/${pcreQuote(name)}(/.+)?$`] };
}

/** The ACL of an IP block list (`ipBlocks`, `source.ip`, `destination.ip`): addresses or CIDRs, either family. */
export function ipAcl(sample: ProxySample, values: readonly string[]): ProxyAcl {
  return { sample, match: 'ip', patterns: values };
}

/** The ACL of port strings (`ports`, `destination.port`) on the original destination port. */
export function portAcl(values: readonly string[]): ProxyAcl {
  return { sample: { kind: 'dst_port' }, match: 'int', patterns: values };
}
