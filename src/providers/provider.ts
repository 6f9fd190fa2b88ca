import type { ArtifactSink, CellKey, ClusterState, IpFamily, PeerRef, PolicyKind, Topology } from '../model/index.js';
import type { AddressBook } from '../probe/address-book.js';
import type { ProbeTransport } from '../probe/probe-transport.js';

/** What every provider gets when it provisions: the run id that labels everything it creates. */
export interface ProvisionContext {
  readonly runId: string;
  /** Private directory of this run (kubeconfig, logs); created by the caller. */
  readonly runDir: string;
  readonly log: (message: string) => void;
  readonly signal?: AbortSignal;
  /** Where to keep what must outlive the run (kind logs, applied manifests and policies): `--artifacts DIR`. */
  readonly artifacts?: ArtifactSink;
  /** Which of the run's parallel worlds this environment is (providers that isolate environments name their resources after it). */
  readonly world?: number;
  /**
   * The policy kinds the run's scenarios use, known before provisioning: a provider sets up what a
   * kind needs (CRDs, CNI switches) only when it is in here. Absent: NetworkPolicy only.
   */
  readonly policyKinds?: ReadonlySet<PolicyKind>;
  /** The IP families the run's scenarios use: a provider that creates its cluster makes it dual-stack (or IPv6) when they need it. Absent: IPv4. */
  readonly ipFamilies?: ReadonlySet<IpFamily>;
}

/** What a datapath supports; cells needing a missing capability are reported "skipped", scenarios needing a policy kind it lacks "unsupported". */
export interface Capabilities {
  /** The policy kinds the datapath enforces; a scenario using another kind is not deployed and its cells are `unsupported`. */
  readonly policyKinds: readonly PolicyKind[];
  /** Why a kind missing from `policyKinds` is not enforced, where the provider can say more than "not enforced" (shown in the report). */
  readonly whyNotEnforced?: Readonly<Partial<Record<PolicyKind, string>>>;
  readonly sctp: boolean;
  /** False when the datapath creates no external hosts: their cells are skipped with the reason. */
  readonly externals: boolean;
  /** True when hosts marked `real` are probed at their address although `externals` is false (an existing cluster). */
  readonly realExternals?: boolean;
  /**
   * True when `sync` returns only once the datapath enforces the whole new state (netns: one nft
   * transaction), so a first round that agrees with both the expectation and the engine needs no
   * confirming round: nothing can still be programming.
   */
  readonly atomicSync?: boolean;
}

/** The result of deploying a topology: the topology with real addresses, and how to reach things. */
export interface Deployment {
  readonly topology: Topology;
  readonly addresses: AddressBook;
}

/**
 * One scenario's topology deployed in an environment: what exists only after deploy, so syncing or
 * probing before deploy does not compile. Disposing it undeploys it.
 */
export interface DeployedScenario extends Deployment, AsyncDisposable {
  /** Makes the datapath's policies and labels equal `state` (one atomic update where the datapath allows it). */
  sync(state: ClusterState): Promise<void>;
  /** The transport probes of this deployment travel on. */
  transport(): ProbeTransport;
  /**
   * Pods or external hosts (by PodRef / ExternalRef) whose agent is known to be gone; the prober
   * reports their cells as probe-error, since a refused connection to a dead agent is not a policy
   * verdict. Optional: environments that cannot tell cheaply leave it out.
   */
  unavailableHosts?(): ReadonlySet<string>;
  /**
   * Why the datapath cannot enforce a cell under the state last synced (a feature of a kind it
   * otherwise enforces, e.g. a `domainNames` peer on netns), or undefined. Such cells are not
   * probed and are reported `unsupported`. Optional: environments that enforce all they accept leave it out.
   */
  notEnforced?(cell: CellKey): string | undefined;
  /** How a human can get a shell in a pod's network (shown with --keep). */
  enterHint(host: PeerRef): string;
  /** Removes every resource of this scenario, keeping the environment for the next one; idempotent. */
  undeploy(): Promise<void>;
}

/** A provisioned environment; disposing it tears down everything the run created, deployed scenarios included. */
export interface Environment extends AsyncDisposable {
  readonly description: string;
  readonly capabilities: Capabilities;
  /**
   * Creates namespaces, pods (with agents), Services, cluster DNS and external hosts; waits until
   * ready (bounded). One scenario at a time: deploying undeploys the one deployed before.
   */
  deploy(topology: Topology): Promise<DeployedScenario>;
}

/** A way to get an environment: netns, kind, k3s, kubeconfig. */
export interface Provider {
  readonly name: string;
  /**
   * True when environments provisioned in one run are independent worlds, so scenarios may run in
   * several at once. Kubernetes providers leave it out: namespace selectors reach across scenarios
   * sharing a cluster.
   */
  readonly isolatesEnvironments?: boolean;
  /** Checks the machine can run this provider; throws EnvironmentError with what to do. */
  preflight(): Promise<void>;
  provision(ctx: ProvisionContext): Promise<Environment>;
}
