/** Where a notification of a given severity goes: the ALERTS routing, among the configured channels. */
import type { Config } from '../config';
import type { Channel, Severity } from '../model/notification';
import { configuredChannels } from '../notifiers/deliver';

/** Channels a severity is routed to, among those configured. */
export function routeChannels(config: Config, severity: Severity): Channel[] {
  const configured = configuredChannels(config);
  return config.alerts.routing[severity].filter((c) => configured.includes(c));
}
