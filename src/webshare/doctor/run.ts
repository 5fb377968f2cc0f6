/**
 * The doctor: detects the dialect as `auto` does, then runs the read-only part of the contract of
 * docs/webshare-api.md against the live API and judges each documented assumption. Only GET
 * requests; nothing is created, changed or spent. `npm run doctor` (scripts/doctor.ts) and
 * `GET /v1/doctor` are thin shells around `runDoctor`.
 */
import { unlimitedBudget } from '../../lib/budget';
import type { WebshareDialect } from '../../model/dialect';
import type { WebshareTransportOptions } from '../transport';
import { WebshareV2Client } from '../v2/client';
import { checkProbe } from './probe';
import { checkProxyList } from './proxy-list';
import { judged, summarise, type DoctorReport, type Finding } from './report';
import { checkStatsWindow } from './stats-window';
import { gbUnitFinding, v1Findings, writeOnlyFindings } from './unobservable';
import { checkSubUserHeader } from './x-subuser';

export interface DoctorOptions {
  transport: WebshareTransportOptions;
  /** `auto` uses the probe's answer; v1/v2 check that dialect whatever the probe says. */
  api: WebshareDialect | 'auto';
}

export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const budget = options.transport.budget ?? unlimitedBudget();
  const counted = { ...options.transport, budget };
  const before = budget.used;
  const probe = await checkProbe(counted);
  const dialect = options.api === 'auto' ? (probe.probed ?? 'v1') : options.api;
  const rest = dialect === 'v2' ? await checkV2(counted) : checkV1();
  const findings = [probe.finding, ...rest].sort((a, b) => a.item - b.item);
  return {
    dialect,
    dialect_source: options.api === 'auto' ? 'probe' : 'config',
    findings,
    summary: summarise(findings),
    requests: budget.used - before,
  };
}

async function checkV2(transport: WebshareTransportOptions): Promise<Finding[]> {
  const client = new WebshareV2Client(transport);
  const gbUnit = await judged('gb-unit', async () => gbUnitFinding((await client.plan()).bandwidth_limit));
  const list = await checkProxyList(client);
  const subUser = await judged('x-subuser', () => checkSubUserHeader(client, transport));
  const stats = await judged('stats-window', () => checkStatsWindow(client));
  return [gbUnit, ...list, subUser, stats, ...writeOnlyFindings()];
}

function checkV1(): Finding[] {
  return [gbUnitFinding(undefined), ...v1Findings(), ...writeOnlyFindings()];
}
