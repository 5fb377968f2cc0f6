/** What a dialect's client is built with: how it sends (the transport's options) and what access needs. */
import type { AccessChangeLock } from './access/change-lock';
import type { WebshareTransportOptions } from './transport';

export interface WebshareClientOptions extends WebshareTransportOptions {
  /** The ACCESS_LOCK binding: authorised-IP changes run one at a time through it. */
  accessLock?: DurableObjectNamespace<AccessChangeLock>;
  /** Makes a new proxy password where the dialect has us pick it (v2; tests pin it). */
  newPassword?: () => string;
}
