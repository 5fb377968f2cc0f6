/** Prints the tick's CPU model figures as measured beside the ones the worker uses (src/poller/cpu-budget.ts). */

/** Name, measured, in use. */
export type ModelFigure = [string, number, number];

export function printModelFigures(measuredWhere: string, figures: ModelFigure[]): void {
  console.log(`\nTick CPU model (src/poller/cpu-budget.ts): measured ${measuredWhere} vs used by the worker`);
  console.log('figure                           | measured | in use  | in use ≥ measured');
  for (const [name, measured, inUse] of figures) {
    console.log(
      `${name.padEnd(32)} | ${measured.toFixed(4).padStart(8)} | ${inUse.toFixed(4).padStart(7)} | ${inUse >= measured ? 'yes' : 'NO: raise it'}`,
    );
  }
}
