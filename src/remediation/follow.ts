/**
 * Follows v2 replacements across ticks instead of waiting for them: each tick reads where the
 * oldest few stand (GET /api/v3/proxy/replace/{id}/, plus the replaced-proxy list once completed)
 * and turns each finished one into an entry, announced through the remediation notices. Failures are
 * classified by Webshare's `error_code`, never its wording.
 */
import type { SubrequestBudget } from '../lib/budget';
import type { WebshareApi } from '../webshare/port';
import { WebshareNotFoundError } from '../webshare/errors';
import type { InFlightReplacement, RemediationEntry, ReplacedProxy } from '../model/remediation';

/** Replacements looked at per tick (each costs one or two subrequests). */
export const FOLLOWS_PER_TICK = 5;
/** Subrequests one follow may take: the request, then the replaced-proxy list. */
export const FOLLOW_COST = 2;

const ORIGIN_TEXT = { remediation: 'auto-remediation', admin: 'the admin API', chatops: 'chat-ops' } as const;

export interface FollowResult {
  entries: RemediationEntry[];
  /** Still being carried out (or not looked at this tick). */
  stillInFlight: InFlightReplacement[];
  /** Finished (announced): untrack these. */
  finished: InFlightReplacement[];
  /** Completed ones, with the new address. */
  replaced: ReplacedProxy[];
}

function entryFor(
  flight: InFlightReplacement,
  outcome: RemediationEntry['outcome'],
  detail: string,
  extra: Partial<RemediationEntry> = {},
): RemediationEntry {
  return {
    action: 'replace',
    target: flight.address,
    outcome,
    reason: null,
    detail,
    replacement_id: flight.id,
    ...(flight.consecutive_sweeps !== undefined ? { consecutive_sweeps: flight.consecutive_sweeps } : {}),
    ...extra,
  };
}

export async function followReplacements(input: {
  client: Pick<WebshareApi, 'getReplacement'>;
  inFlight: InFlightReplacement[];
  budget: SubrequestBudget;
  keepSubrequests: number;
  nowIso: string;
}): Promise<FollowResult> {
  const result: FollowResult = { entries: [], stillInFlight: [], finished: [], replaced: [] };
  const ordered = [...input.inFlight].sort((a, b) => a.since.localeCompare(b.since));
  for (const [index, flight] of ordered.entries()) {
    const room = input.budget.remaining - input.keepSubrequests >= FOLLOW_COST;
    if (index >= FOLLOWS_PER_TICK || !room) {
      result.stillInFlight.push(flight);
      continue;
    }
    const by = ORIGIN_TEXT[flight.origin];
    let replacement;
    try {
      replacement = await input.client.getReplacement(flight.id);
    } catch (error) {
      if (error instanceof WebshareNotFoundError) {
        // Webshare no longer knows it: nothing left to follow.
        result.finished.push(flight);
        result.entries.push(
          entryFor(
            flight,
            'failed',
            `Webshare no longer knows replacement ${flight.id} of ${flight.address} (started by ${by}).`,
          ),
        );
      } else result.stillInFlight.push({ ...flight, checks: flight.checks + 1 });
      continue;
    }
    if (replacement.state === 'completed') {
      result.finished.push(flight);
      result.replaced.push({
        address: flight.address,
        new_address: replacement.new_ip_address,
        at: input.nowIso,
      });
      result.entries.push(
        entryFor(
          flight,
          'replaced',
          `Replaced ${flight.address} → ${replacement.new_ip_address ?? 'a new proxy'} (Webshare replacement ${flight.id}, started by ${by}).`,
          { new_address: replacement.new_ip_address },
        ),
      );
    } else if (replacement.state === 'failed') {
      result.finished.push(flight);
      const code = replacement.error_code ?? 'unknown';
      const why = `${code}${replacement.error ? `: ${replacement.error}` : ''}`;
      if (code === 'no_proxies_to_be_replaced') {
        result.entries.push(
          entryFor(
            flight,
            'already_replaced',
            `${flight.address} is no longer in the proxy list: nothing to replace (replacement ${flight.id}).`,
          ),
        );
      } else {
        const refused = code === 'not_enough_replacements_in_subscription';
        result.entries.push(
          entryFor(
            flight,
            refused ? 'rejected' : 'failed',
            `Webshare could not replace ${flight.address} (replacement ${flight.id}, started by ${by}): ${why}.`,
            refused ? { left: 0 } : {},
          ),
        );
      }
    } else result.stillInFlight.push({ ...flight, checks: flight.checks + 1 });
  }
  return result;
}
