/**
 * Assumption 6, on v2: the stats aggregate accepts the billing period so far (`timestamp__gte` =
 * the subscription's start, clamped to 90 days; `timestamp__lte` = now). What `bandwidth_projected`
 * means (the period's end value) cannot be seen; only that the window is accepted.
 */
import { WebshareBadRequestError } from '../errors';
import type { WebshareV2Client } from '../v2/client';
import { finding, type Finding } from './report';

export async function checkStatsWindow(client: WebshareV2Client): Promise<Finding> {
  try {
    const stats = await client.getProxyStats();
    const seen = `the period so far was accepted: bandwidth_total ${stats.bandwidth_used} bytes, bandwidth_projected ${stats.bandwidth_projected ?? 'absent'} (whether that is the period's end value cannot be seen)`;
    return finding('stats-window', 'confirmed', seen);
  } catch (error) {
    if (!(error instanceof WebshareBadRequestError)) throw error;
    return finding('stats-window', 'contradicted', `the window was refused: ${error.message}`);
  }
}
