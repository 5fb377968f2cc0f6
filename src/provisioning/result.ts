/**
 * The answers a CustomerProvisioner gives: the hook's response body (or the error it maps to), and what
 * changed at Webshare.
 */
import { mapError } from '../error-mapping';
import type { Logger } from '../lib/log';
import type { SubUser } from '../webshare/types';
import type { HookResponse, ProvisioningCommand, ProvisioningResultBody, SubUserView } from './command';
import type { CustomerState, ProvisioningResult } from './provision';

/** Set when a delivery (not a replay) made a sub-user appear or go away. */
export interface SubUserChange {
  type: 'subuser.created' | 'subuser.deleted';
  subUserId: number | null;
  plan: string | null;
}

export function changeOf(result: ProvisioningResult, previous: CustomerState): SubUserChange | undefined {
  // `adopted` counts as created: the attempt that created it failed before it could say so.
  if (result.outcome === 'created' || result.outcome === 'adopted') {
    return { type: 'subuser.created', subUserId: result.subUser?.id ?? null, plan: result.state.plan };
  }
  if (result.outcome === 'deleted') {
    return { type: 'subuser.deleted', subUserId: previous.subUserId, plan: previous.plan };
  }
  return undefined;
}

/** `live`: the customer has access after this event, so its plan and sub-user are part of the answer. */
export function resultBody(
  command: ProvisioningCommand,
  result: ProvisioningResult,
  live: boolean,
): ProvisioningResultBody {
  const body: ProvisioningResultBody = {
    delivery_id: command.deliveryId,
    event: command.eventType,
    customer_id: command.customerId,
    outcome: result.outcome,
  };
  if (result.reason) body.reason = result.reason;
  if (live && result.state.plan) body.plan = result.state.plan;
  if (live && result.subUser) body.subuser = view(result.subUser, command.returnCredentials);
  return body;
}

function view(subUser: SubUser, withCredentials: boolean): SubUserView {
  const out: SubUserView = {
    id: subUser.id,
    label: subUser.label,
    proxy_limit: subUser.proxy_limit,
    max_thread_count: subUser.max_thread_count,
    proxy_countries: subUser.proxy_countries,
  };
  if (withCredentials) {
    out.proxy_username = subUser.proxy_username;
    out.proxy_password = subUser.proxy_password;
  }
  return out;
}

export function unknownPlan(name: string): HookResponse {
  return {
    status: 422,
    body: JSON.stringify({
      error: {
        code: 'unknown_plan',
        message: `unknown plan "${name}": PLANS has no such plan; nothing was created`,
        details: { plan: name },
      },
    }),
  };
}

/** True when PLANS (as the route read it) knows the plan the command's change names. */
export function knowsPlan(command: ProvisioningCommand): boolean {
  const { plans } = command;
  const name = command.change.plan;
  return plans !== null && name !== null && Object.hasOwn(plans, name);
}

/**
 * Nothing is marked done and a creating marker stays: the sender retries, and the retry reconciles
 * with Webshare's label list before it creates anything. Unexpected errors are rethrown.
 */
export function failureResponse(error: unknown, command: ProvisioningCommand, log: Logger): HookResponse {
  const mapped = mapError(error);
  if (mapped.unexpected) throw error;
  log.warn('provisioning failed', { customerId: command.customerId, status: mapped.status, error });
  return {
    status: mapped.status as HookResponse['status'],
    body: JSON.stringify(mapped.body),
    headers: mapped.headers,
  };
}
