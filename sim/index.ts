/** The Webshare simulator: a stateful, fault-injectable stand-in for the Webshare v1 API. */
export { createSimulator, type Simulator } from './simulator';
export type { SimulatorOptions, StatsSpelling, FieldErrorShape } from './options';
export { DEFAULT_SIM_API_KEY, DEFAULT_SIM_ORIGIN, SCENARIO_START_MS, GIB_BYTES } from './options';
export type { SimControl, BandwidthSettings, RequestSettings, QuotaSettings } from './control';
export type { Fault } from './faults';
export type { SimRequestRecord } from './api';
export type { SimState, SimSubUser, Growth, RequestCounters, Replacement } from './state';
export type { SimProxy } from './proxies';
export { SIM_RATE_LIMITS_PER_MINUTE, SIM_RATE_WINDOW_MS, type SimBucket } from './rate-limit';
