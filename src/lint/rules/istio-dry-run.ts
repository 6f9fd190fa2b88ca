import { ISTIO_DRY_RUN_ANNOTATION } from '../../model/index.js';
import { findingsPerPolicy, type LintRule } from '../lint-rule.js';
import { isMap } from '../policy-view.js';


/** An AuthorizationPolicy with `istio.io/dry-run: "true"`: evaluated and logged, never enforced. */
export const istioDryRun: LintRule = {
  id: 'istio-dry-run',
  description: 'a dry-run AuthorizationPolicy is evaluated and logged but never enforced',
  severity: 'warning',
  kinds: ['AuthorizationPolicy'],
  check(input) {
    return findingsPerPolicy(input, (source, report) => {
      const metadata = isMap(source.value.metadata) ? source.value.metadata : {};
      const annotations = isMap(metadata.annotations) ? metadata.annotations : {};
      if (annotations[ISTIO_DRY_RUN_ANNOTATION] === 'true') report(['metadata', 'annotations', ISTIO_DRY_RUN_ANNOTATION], 'dry-run: this policy is evaluated and logged, never enforced (its verdicts change no cell)');
    });
  },
};
