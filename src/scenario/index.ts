// Public API of the scenario layer: load (schema → parse → normalize → rules), replay, resolve.
export { discoverScenarioFiles } from './discover-scenario-files.js';
export { loadScenarioFile, loadScenarios, loadScenarioCollecting } from './load-scenario.js';
export { replaySteps } from './replay-steps.js';
export { resolvePolicyObject as resolvePolicy } from './kinds/policy-kinds.js';
export { resolveExpectation } from './resolve-expectation.js';
export { resolveExpectationCodes } from './resolve-expectation-codes.js';
export { parseYamlFile, parseYamlText, type YamlDocument } from './yaml-source.js';
export { scenarioSchema } from './schema.js';
export { networkPolicySchema } from './network-policy-schema.js';
export { POLICY_KIND_MODULES, identityOfPolicy, kindModule, supportedKindsText } from './kinds/policy-kinds.js';
export type { PolicyKindModule, KindScope } from './kinds/policy-kind-module.js';
export { parsePlaceholder, type Placeholder } from './placeholder.js';
export { matchesPeer, parsePatternText } from './peer-pattern.js';
export { BASELINE_STEP } from './normalize-steps.js';
export { TOPOLOGY_DEFAULTS } from './normalize-topology.js';
export { renderScenarioJsonSchema } from './json-schema.js';
export { loadDeviations, parseDeviations, defaultClustersDir, type Deviation, type DeviationSet } from './load-deviations.js';
export { DEVIATION_FEATURES } from './deviations-schema.js';
