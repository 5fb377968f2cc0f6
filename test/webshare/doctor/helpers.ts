/**
 * Runs the doctor's core (src/webshare/doctor/run.ts) against a fresh simulator, reached through
 * routeOutbound as the Worker reaches Webshare, and collects every secret the account holds so a
 * test can check that none of them leaks into the report.
 */
import { expect } from 'vitest';
import { createSimulator, type Simulator, type SimulatorOptions } from '../../../sim';
import type { DoctorReport, Finding } from '../../../src/webshare/doctor/report';
import { runDoctor, type DoctorOptions } from '../../../src/webshare/doctor/run';
import { routeOutbound } from '../../helpers/outbound';

export const API_KEY = 'test-api-key-9f8e7d6c';
export const BASE_URL = 'https://webshare.sim';

export function simulator(options: SimulatorOptions = {}): Simulator {
  const sim = createSimulator(options);
  routeOutbound({ 'webshare.sim': sim.fetch });
  return sim;
}

/** Makes a v2 sub-user as a client of the simulator would (setup, not the doctor) and clears the log. */
export async function withSubUser(sim: Simulator): Promise<void> {
  const response = await sim.fetch(
    new Request(`${BASE_URL}/api/v2/subuser/`, {
      method: 'POST',
      headers: { Authorization: `Token ${API_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ label: 'doctor-test', proxy_limit: 2 }),
    }),
  );
  expect(response.status).toBe(201);
  sim.control.clearRequests();
}

export function doctor(api: DoctorOptions['api'] = 'auto', apiKey = API_KEY): Promise<DoctorReport> {
  return runDoctor({ transport: { apiKey, baseUrl: BASE_URL, sleep: async () => {} }, api });
}

export function verdictsOf(report: DoctorReport): Record<string, Finding['verdict']> {
  return Object.fromEntries(report.findings.map((f) => [f.name, f.verdict]));
}

/** The API key and every proxy credential at the simulator: the owner's and each sub-user's. */
export function secretsOf(sim: Simulator): string[] {
  const { config, subUsers } = sim.state;
  const users = [...subUsers.values()].flatMap((u) => [u.proxy_username, u.proxy_password]);
  return [API_KEY, config.username, config.password, ...users];
}

export function expectNoSecrets(texts: string[], secrets: string[]): void {
  for (const text of texts) for (const secret of secrets) expect(text).not.toContain(secret);
}

export function expectOnlyGets(sim: Simulator, report: DoctorReport): void {
  expect(sim.requests.length).toBeGreaterThan(0);
  expect(new Set(sim.requests.map((r) => r.method))).toEqual(new Set(['GET']));
  expect(sim.requests).toHaveLength(report.requests);
}
