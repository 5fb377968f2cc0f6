/** Small helpers the benches share: free ports, medians, and the goal verdicts `npm run bench` prints. */
import { createServer, type AddressInfo } from 'node:net';

const LOOPBACK = '127.0.0.1';

/** A loopback port nobody listens on now, so a readiness probe can only reach our own process. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export interface GoalVerdict {
  goal: string;
  figure: string;
  met: boolean;
}

const verdicts: GoalVerdict[] = [];

/** Prints one goal with its figure and whether it is met, and keeps it for the closing summary. */
export function reportGoal(goal: string, figure: string, met: boolean): void {
  verdicts.push({ goal, figure, met });
  console.log(`goal ${goal}: ${met ? 'MET' : 'NOT MET'} (${figure})`);
}

/** Every goal reported in this run, for the summary `npm run bench` ends with. */
export function goalVerdicts(): readonly GoalVerdict[] {
  return verdicts;
}

const lines: string[] = [];

/** A `name key=value …` line for the end of `npm run bench`, where scripts can grep it. */
export function reportLine(line: string): void {
  lines.push(line);
}

export function reportedLines(): readonly string[] {
  return lines;
}
