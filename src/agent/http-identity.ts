/** The field of the agent's HTTP answer that names it: a body without it was written by someone else (a proxy). */
const IDENTITY_FIELD = 'netseg';

/** What the agent saw of a request, echoed in its answer so a report shows what reached the destination. */
export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly host: string | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

/** The agent's HTTP answer body: its identity (pod and namespace) and the request it saw, as one JSON line. */
export function formatHttpIdentity(identity: string, request: SeenRequest): string {
  const slash = identity.indexOf('/');
  const [namespace, pod] = slash >= 0 ? [identity.slice(0, slash), identity.slice(slash + 1)] : [undefined, identity];
  return `${JSON.stringify({ [IDENTITY_FIELD]: identity, namespace, pod, method: request.method, path: request.path, host: request.host, headers: request.headers })}\n`;
}

/** The identity in an HTTP answer body when a netseg agent wrote it; undefined for any other body. */
export function parseHttpIdentity(body: string): string | undefined {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return undefined;
    const identity = (value as Record<string, unknown>)[IDENTITY_FIELD];
    return typeof identity === 'string' ? identity : undefined;
  } catch {
    return undefined;
  }
}
