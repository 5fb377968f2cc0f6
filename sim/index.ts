/** The Webshare simulator: a stateful, fault-injectable stand-in for the Webshare API (v1 and v2). */
export { createSimulator, type Simulator } from './simulator';
export type { SimulatorOptions } from './options';
export { GIB_BYTES } from './options';
export type { Fault } from './faults';
export type { SimRequestRecord } from './api';
export { SIM_RATE_LIMITS_PER_MINUTE, SIM_RATE_WINDOW_MS, type SimBucket } from './rate-limit';
