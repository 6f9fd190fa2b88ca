import type { z } from 'zod';
import type { PolicyKind, PolicyObject, Topology } from '../../model/index.js';
import type { DocPath, IssueList } from '../issue-list.js';
import type { YamlDocument } from '../yaml-source.js';

/** The policy object type of one kind. */
export type PolicyOfKind<K extends PolicyKind> = Extract<PolicyObject, { kind: K }>;

/** Whether objects of a kind live in a namespace (NetworkPolicy) or in the whole cluster (ClusterNetworkPolicy). */
export type KindScope = 'Namespaced' | 'Cluster';

/** What names one policy object in a cluster: kind, namespace (namespaced kinds only) and name. */
export interface PolicyIdentity {
  readonly kind: PolicyKind;
  readonly namespace?: string;
  readonly name: string;
}

/** An object another one needs: which, where the need is written (relative to the policy document), and why. */
export interface Requirement {
  readonly identity: PolicyIdentity;
  readonly path: DocPath;
  readonly why: string;
}

/** A policy with where it was written, so later checks can point at it (possibly in another file). */
export interface LocatedPolicyOf<P> {
  readonly policy: P;
  readonly doc: YamlDocument;
  readonly path: DocPath;
}

/**
 * Everything the input side knows about one policy kind: how it is written (apiVersion, kind, zod
 * schema), where it lives, which semantic checks it gets and which of its strings are address
 * placeholders. One module per kind, registered in `policy-kinds.ts`; nothing else names a kind.
 */
export interface PolicyKindModule<K extends PolicyKind = PolicyKind> {
  readonly kind: K;
  /** The `kind` written in manifests (may differ from `kind` when two API groups share a name). */
  readonly manifestKind: string;
  /** Accepted apiVersions, preferred first. */
  readonly apiVersions: readonly string[];
  readonly scope: KindScope;
  /** The document schema: what `netseg check`, the JSON Schema and lint accept. */
  readonly schema: z.ZodObject;
  /** The object from a schema-valid document (nulls stripped) whose namespace is already settled. */
  fromDocument(document: unknown): PolicyOfKind<K>;
  /** Semantic checks the API server (or its admission rules) would make, plus netseg's own, with positions. */
  validate(located: LocatedPolicyOf<PolicyOfKind<K>>, topology: Topology, issues: IssueList): void;
  /** Resolves the placeholders of its address fields (e.g. `{{podIP x/a}}`) against a topology. */
  resolve(policy: PolicyOfKind<K>, topology: Topology): PolicyOfKind<K>;
  /**
   * Objects the API server needs to exist when this one is created, and refuses to delete while it
   * exists (a Calico policy's Tier); absent = none.
   */
  readonly requires?: (policy: PolicyOfKind<K>) => readonly Requirement[];
}
