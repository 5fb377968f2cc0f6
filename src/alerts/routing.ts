/** Where a notification goes: the ALERTS routing of its severity, or its own channels, among the configured ones. */
import type { Config } from '../config';
import type { Channel, Notification, Severity } from '../model/notification';
import { configuredChannels } from '../notifiers/deliver';

/** Channels a severity is routed to, among those configured. */
export function routeChannels(config: Config, severity: Severity): Channel[] {
  const configured = configuredChannels(config);
  return config.alerts.routing[severity].filter((c) => configured.includes(c));
}

/** A message's channels: its own list when it names one (among those configured), else its severity's. */
export function channelsFor(config: Config, message: Notification): Channel[] {
  if (!message.channels) return routeChannels(config, message.severity);
  const configured = configuredChannels(config);
  return message.channels.filter((c) => configured.includes(c));
}
