import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintFiles } from '../../../src/lint/lint-files.js';

/** The "[rule] " findings of linting the given files (written to a fresh directory) as "file:line:col severity path: message". */
export async function lintText(files: Record<string, string>, rule: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netseg-lint-'));
  try {
    const paths = Object.entries(files).map(([name, text]) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    });
    const issues = await lintFiles(paths);
    return issues
      .filter((i) => i.message.startsWith(`[${rule}] `))
      .map((i) => `${i.position.file.slice(dir.length + 1)}:${i.position.line}:${i.position.column} ${i.severity} ${i.path}: ${i.message.slice(rule.length + 3)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A ClusterNetworkPolicy manifest; `spec` is the YAML below `spec:` (indented two spaces); the spec starts at line 5. */
export function cnp(name: string, spec: string): string {
  return `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: { name: ${name} }\nspec:\n${spec}`;
}

/** A Calico manifest (projectcalico.org/v3); `spec` is the YAML below `spec:` (indented two spaces) or a flow map; the spec starts at line 5. */
export function calico(kind: 'GlobalNetworkPolicy' | 'NetworkPolicy' | 'Tier', name: string, spec: string): string {
  const metadata = kind === 'NetworkPolicy' ? `{ name: ${name}, namespace: x }` : `{ name: ${name} }`;
  return `apiVersion: projectcalico.org/v3\nkind: ${kind}\nmetadata: ${metadata}\nspec:${spec.startsWith('{') ? ` ${spec}\n` : `\n${spec}`}`;
}
