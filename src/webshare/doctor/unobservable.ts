/**
 * The assumptions no read-only request can judge, and why: each needs a write (a replacement, a
 * refresh, a create), a deliberately provoked 429, or a number the API never states. The doctor
 * reports them so the list stays complete; docs/webshare-api.md says how to check them by hand.
 */
import { finding, type Finding } from './report';

const NOT_CHECKABLE = 'not checkable read-only';

/** Assumption 2, with the plan's figure when there is one (v2), so the reader sees what it applies to. */
export function gbUnitFinding(planLimitGb: number | undefined): Finding {
  if (planLimitGb === undefined) {
    return finding('gb-unit', NOT_CHECKABLE, 'the account speaks v1, which states the limit in bytes');
  }
  const bytes = (perGb: number) => Math.round(planLimitGb * perGb);
  const seen = `the plan's bandwidth_limit is ${planLimitGb} GB (${bytes(1e9)} bytes read as 10^9, ${bytes(1024 ** 3)} as 2^30); no read-only answer states the limit in bytes`;
  return finding('gb-unit', NOT_CHECKABLE, seen);
}

export function writeOnlyFindings(): Finding[] {
  return [
    finding('retry-after', NOT_CHECKABLE, 'needs a 429, which the doctor does not provoke'),
    finding('error-codes', NOT_CHECKABLE, 'needs a refused replacement (a write)'),
    finding('parallel-replacements', NOT_CHECKABLE, 'needs two replacements (writes)'),
    finding('refresh-exhausted', NOT_CHECKABLE, 'needs a refresh with none left (a write)'),
    finding('create-status', NOT_CHECKABLE, 'needs creates (writes)'),
  ];
}

/** Assumptions 3 to 6 are about v2's endpoints; on v1 there is nothing of them to read. */
export function v1Findings(): Finding[] {
  const v1 = 'the account speaks v1, which has no such';
  return [
    finding('page-size', NOT_CHECKABLE, `${v1} parameter (its page size is fixed)`),
    finding('list-filters', NOT_CHECKABLE, `${v1} filters`),
    finding('x-subuser', NOT_CHECKABLE, `${v1} header (it masquerades with X-Webshare-SubUser)`),
    finding('stats-window', NOT_CHECKABLE, `${v1} window (its stats take none)`),
  ];
}
