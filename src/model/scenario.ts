import type { Expectation } from './connectivity.js';
import type { HttpProbe } from './http-probe.js';
import type { SourcePosition } from './input-issue.js';
import type { IpFamily } from './ip-family.js';
import type { Labels } from './labels.js';
import type { PolicyKind, PolicyObject } from './policy-object.js';
import type { PeerRef, PodRef } from './pod-ref.js';
import type { PortProtocol, Protocol } from './protocol.js';
import type { TargetKind } from './target-kind.js';
import type { Topology } from './topology.js';

/**
 * A policy as written in a scenario: a policy object whose address strings (e.g. ipBlock CIDRs) may
 * still hold placeholders such as `{{podIP x/a}}` (resolved against the topology's IPs at each step).
 */
export type PolicyTemplate = PolicyObject;

/** What a label mutation targets. */
export type LabelTarget = { readonly kind: 'pod'; readonly ref: PodRef } | { readonly kind: 'namespace'; readonly name: string };

/** One change a step makes; exhaustively switched on `kind`. */
export type Mutation =
  | { readonly kind: 'apply'; readonly policy: PolicyTemplate; readonly source?: SourcePosition }
  | { readonly kind: 'replace'; readonly policy: PolicyTemplate; readonly source?: SourcePosition }
  | {
      readonly kind: 'delete';
      /** The kind of the deleted object (NetworkPolicy unless the step says otherwise). */
      readonly policyKind: PolicyKind;
      /** Absent for cluster-scoped kinds. */
      readonly namespace?: string;
      readonly name: string;
      readonly source?: SourcePosition;
    }
  | { readonly kind: 'set-labels'; readonly target: LabelTarget; readonly labels: Labels; readonly source?: SourcePosition }
  | { readonly kind: 'remove-labels'; readonly target: LabelTarget; readonly keys: readonly string[]; readonly source?: SourcePosition };

/** Selects peers in expectation rules; every given field must match ("*" globs allowed in names). */
export interface PeerPattern {
  readonly namespace?: string;
  readonly pod?: string;
  readonly labels?: Labels;
  readonly namespaceLabels?: Labels;
  /** Matches an external host by name ("*" for any); a pattern with `external` never matches pods. */
  readonly external?: string;
}

/** One expectation rule; the last matching rule wins. */
export interface ExpectRule {
  readonly from?: PeerPattern;
  readonly to?: PeerPattern;
  readonly port?: number;
  readonly protocol?: Protocol;
  readonly target?: TargetKind;
  /** Restricts the rule to one IP family's cells (dual-stack scenarios); every family when undefined. */
  readonly family?: IpFamily;
  /**
   * Restricts the rule to one HTTP probe's request cells (`HttpProbe.id`). Undefined: the rule covers
   * the port's connection cells and every request cell on it (a blocked connection blocks its requests).
   */
  readonly request?: string;
  readonly expect: Expectation;
  readonly source?: SourcePosition;
}

/** A visual truth table for one port/protocol (and optionally one target kind). */
export interface TruthTable {
  readonly port: number;
  readonly protocol: Protocol;
  /** Applies to every target kind of that port when undefined. */
  readonly target?: TargetKind;
  /** Applies to one IP family's cells only (dual-stack scenarios); every family when undefined. */
  readonly family?: IpFamily;
  /** Applies to one HTTP probe's request cells only; undefined: the port's connection cells and every request cell on it. */
  readonly request?: string;
  readonly columns: readonly PeerRef[];
  readonly rows: readonly { readonly from: PeerRef; readonly cells: readonly Expectation[] }[];
  readonly source?: SourcePosition;
}

/** A step's expectation: the engine's own matrix, or declared tables and rules over a default. */
export type ExpectSpec =
  | { readonly kind: 'computed' }
  | {
      readonly kind: 'declared';
      readonly default: Expectation;
      readonly tables: readonly TruthTable[];
      readonly rules: readonly ExpectRule[];
      /** Pod-to-itself cells are "ignored" unless this is true. */
      readonly checkSelf: boolean;
    };

/** One step of a scenario: mutations applied in order, then the expectation. */
export interface Step {
  readonly index: number;
  readonly name: string;
  readonly mutations: readonly Mutation[];
  readonly expect: ExpectSpec;
  readonly source?: SourcePosition;
}

/** What to probe, for every step. */
export interface ProbeSettings {
  /** Probed ports; cells whose destination does not serve the port are "invalid-port". */
  readonly ports: readonly PortProtocol[];
  readonly targets: readonly TargetKind[];
  /** DNS query probes to the cluster DNS over these transports (empty = none). */
  readonly dns: readonly ('UDP' | 'TCP')[];
  /** Per-probe timeout. */
  readonly timeoutMs: number;
  /**
   * HTTP requests to send on every probed TCP port a destination serves with `appProtocol: http`,
   * one cell each beside the port's connection cell (absent or empty: none).
   */
  readonly http?: readonly HttpProbe[];
}

/** A fully loaded and validated scenario. */
export interface Scenario {
  readonly file: string;
  readonly name: string;
  readonly description?: string;
  /** Caveats a reader must see, e.g. where the scenario's source claims what its manifests do not do. */
  readonly notes?: readonly string[];
  readonly tags: readonly string[];
  readonly topology: Topology;
  readonly probes: ProbeSettings;
  readonly steps: readonly Step[];
}

/** Cluster state at one step: the topology (with current labels) and the resolved policies. */
export interface ClusterState {
  readonly topology: Topology;
  readonly policies: readonly PolicyObject[];
}
