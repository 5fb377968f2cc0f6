/** The doctor's report as text (one line per assumption, then a summary) and as an exit code. */
import type { DoctorReport } from './report';

const VERDICT_WIDTH = 'not checkable read-only'.length;
const NAME_WIDTH = 'parallel-replacements'.length;

export function doctorText(report: DoctorReport): string {
  const lines = report.findings.map(
    (f) =>
      `${f.verdict.padEnd(VERDICT_WIDTH)}  ${`${f.item}.`.padStart(3)} ${f.name.padEnd(NAME_WIDTH)}  ${f.seen}`,
  );
  const { confirmed, contradicted, not_checkable, read_failures } = report.summary;
  const failures = read_failures ? `, ${read_failures} could not be read` : '';
  lines.push(
    `Webshare API ${report.dialect} (${report.dialect_source}): ${confirmed} confirmed, ${contradicted} contradicted, ` +
      `${not_checkable} not checkable read-only${failures}; ${report.requests} GET requests, nothing written`,
  );
  return `${lines.join('\n')}\n`;
}

/** 1 on a contradiction; 2 when a read failed (nothing contradicted, but not everything judged); else 0. */
export function doctorExitCode(report: DoctorReport): number {
  if (report.summary.contradicted > 0) return 1;
  return report.summary.read_failures > 0 ? 2 : 0;
}
