import { familyView, isDualStack, topologyFamilies, type CellKey, type Connectivity, type Explanation, type HttpProbe, type IpFamily, type PolicyObject, type Topology } from '../model/index.js';
import { compilePolicies } from './compile-policies.js';
import type { CompiledPolicies } from './compiled-policies.js';

/**
 * The engine over every IP family of a topology: each family is evaluated on the topology as that
 * family sees it (`familyView`: its addresses only), so an ipBlock or network of one family never
 * matches a host's address of the other, as in Kubernetes. One CompiledPolicies per family, compiled
 * on first use; a single-family topology compiles once.
 */
export class FamilyPolicies {
  readonly #compiled = new Map<IpFamily, CompiledPolicies>();
  readonly #primary: IpFamily;
  readonly #dual: boolean;

  constructor(
    readonly topology: Topology,
    private readonly policies: readonly PolicyObject[],
    /** The scenario's HTTP probes, which request cells name (`CellKey.request`). */
    private readonly requests: readonly HttpProbe[] = [],
  ) {
    this.#primary = topologyFamilies(topology)[0]!;
    this.#dual = isDualStack(topology);
  }

  /** The compiled policies of one family (the primary when `family` is undefined: a single-family cell; the one compilation of a single-family topology whatever is asked). */
  of(family: IpFamily | undefined): CompiledPolicies {
    const f = this.#dual ? (family ?? this.#primary) : this.#primary;
    let compiled = this.#compiled.get(f);
    if (!compiled) this.#compiled.set(f, (compiled = compilePolicies(familyView(this.topology, f), this.policies, this.requests)));
    return compiled;
  }

  /**
   * The verdict of one cell with full provenance, in the cell's family. An HTTP request cell
   * (`key.request`) gets its connection's L3/L4 verdict and explanation (see `sameConnection`).
   */
  evaluate(key: CellKey): Explanation {
    return this.of(key.family).evaluate(key);
  }

  /** The verdict of one cell via the grids, in the cell's family. */
  verdict(key: CellKey): Connectivity {
    return this.of(key.family).verdict(key);
  }

  /** Drops every family's cached grids (see CompiledPolicies.releaseGrids). */
  releaseGrids(): void {
    for (const compiled of this.#compiled.values()) compiled.releaseGrids();
  }
}
