import type { RunReport } from '../model/index.js';

/** Label of a report in a comparison: "kind/calico", "netns", or "check" for a check-mode report. */
export function reportLabel(report: RunReport): string {
  if (!report.provider) return report.mode;
  return report.provider.cni ? `${report.provider.name}/${report.provider.cni}` : report.provider.name;
}
