import { isExternalRef, type Labels, type PeerPattern, type PeerRef, type Topology } from '../model/index.js';

/**
 * Parses the string form of a peer pattern: `x/a`, `x/*`, `*\/a`, `*`, `external:name`, `external:*`.
 * Returns an error message when malformed.
 */
export function parsePatternText(text: string): PeerPattern | { readonly error: string } {
  const t = text.trim();
  if (t === '*') return {};
  if (t.startsWith('external:')) {
    const name = t.slice('external:'.length);
    return name ? { external: name } : { error: `pattern "${text}" needs an external host name or *` };
  }
  const m = /^([^\s/]+)\/([^\s/]+)$/.exec(t);
  if (!m) return { error: `pattern "${text}" must be "namespace/pod" (with * globs), "*" or "external:name"` };
  const [, namespace, pod] = m as unknown as [string, string, string];
  return { ...(namespace !== '*' && { namespace }), ...(pod !== '*' && { pod }) };
}

/** True when a name matches a glob where `*` stands for any run of characters. */
export function globMatches(glob: string, name: string): boolean {
  if (!glob.includes('*')) return glob === name;
  const re = new RegExp(`^${glob.split('*').map(escapeRe).join('.*')}$`);
  return re.test(name);
}

/**
 * True when a peer matches a pattern under the labels in force. A pattern with `external` matches
 * only external hosts; an empty pattern matches everything; any other pattern matches only pods.
 */
export function matchesPeer(pattern: PeerPattern | undefined, peer: PeerRef, topology: Topology): boolean {
  if (!pattern) return true;
  const isEmpty = Object.keys(pattern).length === 0;
  if (isExternalRef(peer)) {
    if (isEmpty) return true;
    if (pattern.external === undefined) return false;
    return globMatches(pattern.external, peer.slice('external:'.length));
  }
  if (pattern.external !== undefined) return false;
  const slash = peer.indexOf('/');
  const ns = peer.slice(0, slash);
  const name = peer.slice(slash + 1);
  if (pattern.namespace !== undefined && !globMatches(pattern.namespace, ns)) return false;
  if (pattern.pod !== undefined && !globMatches(pattern.pod, name)) return false;
  if (pattern.labels) {
    const pod = topology.pods.find((p) => p.namespace === ns && p.name === name);
    if (!pod || !labelsInclude(pod.labels, pattern.labels)) return false;
  }
  if (pattern.namespaceLabels) {
    const nsSpec = topology.namespaces.find((n) => n.name === ns);
    if (!nsSpec || !labelsInclude(nsSpec.labels, pattern.namespaceLabels)) return false;
  }
  return true;
}

function labelsInclude(labels: Labels, wanted: Labels): boolean {
  return Object.entries(wanted).every(([k, v]) => labels[k] === v);
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}
