import { RE2JS } from 're2js';
import type { L7ParseOutcome } from './l7-parse-outcome.js';
import { compileFullMatchRegex, type FullMatchRegex } from './re2-full-match.js';
import { matchesIstioString, parseIstioStringMatch, type IstioStringMatch } from './istio-string-match.js';

/**
 * An Istio `to.operation.paths` entry: a string match (exact / prefix / suffix / presence) or, when it contains
 * `{*}` or `{**}`, a path template compiled like istiod (→ Envoy uri_template): `{*}` is one non-empty path
 * segment, `{**}` any run of characters including `/` (zero or more segments) and must be the last operator.
 * Both forms match the path with its query string and fragment removed.
 */
export type IstioPathMatch =
  | { readonly kind: 'string'; readonly match: IstioStringMatch }
  | { readonly kind: 'template'; readonly template: string; readonly regex: FullMatchRegex };

/** Characters Envoy allows in a literal template segment: RFC 3986 pchar without `*` and `=`. */
const PCHAR = "a-zA-Z0-9\\-._~%!$&'()+,;:@";
const ONE_SEGMENT = `[${PCHAR}]+`;
const ANY_SEGMENTS = `[${PCHAR}/]*`;
const LITERAL = new RegExp(`^[${PCHAR}]+$`);
/** istiod rejects named variables, `{}` and bare `*` / `**` beside a slash in templates. */
const UNSUPPORTED_TEMPLATE = /\/\{\w+=\*\*?\}|\{\w*\}|\/\*\*?|\*\*?\//;

/** Parses one `paths` value; templates that istiod or Envoy would reject give a message. */
export function parseIstioPathMatch(value: string): L7ParseOutcome<IstioPathMatch> {
  if (!value.includes('{*}') && !value.includes('{**}')) {
    const parsed = parseIstioStringMatch(value);
    return parsed.ok ? { ok: true, matcher: { kind: 'string', match: parsed.matcher } } : parsed;
  }
  if (UNSUPPORTED_TEMPLATE.test(value)) {
    return { ok: false, message: `invalid or unsupported path template "${value}": only {*} and {**} are supported, not named variables or bare * / **` };
  }
  const source = templateRegex(value.replaceAll('{**}', '**').replaceAll('{*}', '*'));
  if (typeof source !== 'string') return { ok: false, message: `invalid path template "${value}": ${source.error}` };
  const regex = compileFullMatchRegex(source);
  return regex.ok ? { ok: true, matcher: { kind: 'template', template: value, regex: regex.matcher } } : regex;
}

/** Whether a request path (`:path`, query allowed) satisfies the match. */
export function matchesIstioPath(match: IstioPathMatch, requestPath: string): boolean {
  const path = stripQueryAndFragment(requestPath);
  switch (match.kind) {
    case 'string':
      return matchesIstioString(match.match, path);
    case 'template':
      return match.regex.matches(path);
  }
}

/** The path part of a request target. */
export function stripQueryAndFragment(requestPath: string): string {
  const cut = requestPath.search(/[?#]/);
  return cut === -1 ? requestPath : requestPath.slice(0, cut);
}

/** Translates an Envoy URI template (after istiod's `{*}`→`*`, `{**}`→`**`) to an RE2 pattern, as Envoy does. */
function templateRegex(template: string): string | { readonly error: string } {
  if (!/^\/[\x21-\x7e]*$/.test(template)) return { error: 'a template must start with "/" and hold only printable ASCII' };
  const parts: string[] = [];
  let rest = template.slice(1);
  let seenTextGlob = false;
  let suffix = '';
  while (rest.length > 0) {
    const operator = rest.startsWith('**') ? '**' : rest.startsWith('*') ? '*' : undefined;
    if (operator !== undefined) {
      if (seenTextGlob) return { error: '{**} must be the last operator' };
      seenTextGlob = operator === '**';
      parts.push(operator === '**' ? ANY_SEGMENTS : ONE_SEGMENT);
      rest = rest.slice(operator.length);
    } else {
      const literal = rest.split('/', 1)[0]!;
      if (!LITERAL.test(literal)) return { error: `segment "${literal}" is not a valid literal (empty, or a character outside RFC 3986 pchar)` };
      parts.push(RE2JS.quote(literal));
      rest = rest.slice(literal.length);
    }
    if (rest === '/') {
      parts.push('');
      break;
    }
    if (rest.startsWith('/')) {
      rest = rest.slice(1);
    } else if (rest.length > 0) {
      // Text right after an operator is a suffix and must end the template (Envoy: "prefix match not supported").
      if (rest.includes('/') || !LITERAL.test(rest)) return { error: `"${rest}" after an operator must be a final literal suffix` };
      suffix = RE2JS.quote(rest);
      break;
    }
  }
  return `/${parts.join('/')}${suffix}`;
}
