import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Subcommands that talk to a cluster: under kubectl they default to the kubeconfig provider. */
const CLUSTER_COMMANDS = new Set(['run', 'cleanup']);

/** Where the plugin reads kubeconfig files (kubectl's rules: --kubeconfig, else $KUBECONFIG's list, else ~/.kube/config). */
export interface KubeconfigSource {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Text of a file, or undefined when it cannot be read. */
  readonly readFile?: (path: string) => string | undefined;
}

/**
 * The netseg argv for `kubectl netseg …` (argv after the plugin name). kubectl conventions: `run`
 * and `cleanup` use the kubeconfig provider unless --provider is given; `--context` defaults to the
 * kubeconfig's current-context; `--kubeconfig` is passed on; `-n/--namespace NAME` becomes the run
 * id, i.e. the prefix of every namespace netseg creates (`NAME-<n>-<scenario namespace>`), since a
 * scenario spans several namespaces and netseg creates and deletes its own.
 */
export function kubectlPluginArgv(argv: readonly string[], source: KubeconfigSource): string[] {
  const command = argv.find((a) => !a.startsWith('-'));
  const out: string[] = [];
  let namespace: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const eq = a.indexOf('=');
    const [flag, inline] = a.startsWith('--') && eq !== -1 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, undefined];
    if (flag === '-n' || flag === '--namespace') {
      namespace = inline ?? argv[++i];
      continue;
    }
    if (/^-n./.test(a)) {
      namespace = a.slice(2);
      continue;
    }
    out.push(a);
  }
  if (command === undefined || !CLUSTER_COMMANDS.has(command)) return namespace === undefined ? out : [...out, '-n', namespace];
  const has = (flag: string): boolean => out.some((a) => a === flag || a.startsWith(`${flag}=`));
  if (!has('--provider')) out.push('--provider', 'kubeconfig');
  // Other providers (kind, k3s, netns) create their own cluster and reject --context.
  if (flagValue(out, '--provider') === 'kubeconfig' && !has('--context')) {
    const current = currentContext(flagValue(out, '--kubeconfig'), source);
    if (current !== undefined) out.push('--context', current);
  }
  if (namespace !== undefined && !has('--run-id')) out.push('--run-id', namespace);
  return out;
}

/** Value of `--flag V` or `--flag=V`. */
function flagValue(argv: readonly string[], flag: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag) return argv[i + 1];
    if (argv[i]!.startsWith(`${flag}=`)) return argv[i]!.slice(flag.length + 1);
  }
  return undefined;
}

/** current-context of the first kubeconfig file that sets one, as kubectl merges them. */
function currentContext(explicit: string | undefined, source: KubeconfigSource): string | undefined {
  const read = source.readFile ?? readText;
  const files = explicit ? [explicit] : source.env.KUBECONFIG ? source.env.KUBECONFIG.split(delimiter).filter(Boolean) : [join(source.env.HOME ?? homedir(), '.kube', 'config')];
  for (const file of files) {
    const text = read(file);
    if (text === undefined) continue;
    try {
      const doc = parse(text) as { 'current-context'?: unknown } | null;
      const name = doc?.['current-context'];
      if (typeof name === 'string' && name !== '') return name;
    } catch {
      // An unreadable kubeconfig is reported by the provider when it loads the file itself.
    }
  }
  return undefined;
}

/** A file's text, undefined when missing or unreadable. */
function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
