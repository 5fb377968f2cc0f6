/**
 * Replay protection for chat-ops commands that change something. A signed Slack or Discord request
 * stays valid for the whole 5-minute signature window, so a captured copy sent again would run
 * again: another on-demand refresh, another sub-user, another delete. Each such request's platform
 * id (Discord's `interaction.id`, Slack's `trigger_id`, or a SHA-256 of the raw body when there is
 * none) is claimed once, before the work; every later copy is told it was already handled.
 *
 * Why a Durable Object, not KV: KV has no compare-and-set, and a write may take up to 60 s to be
 * seen elsewhere. Whoever holds a captured request can fire several copies at once, and with KV each
 * could read "not seen" and run; one extra run costs a refresh or makes a sub-user. The claims go
 * to the IdempotencyKeyStore (IDEMPOTENCY binding), one object per request id, whose begin() is an
 * atomic check-and-set: exactly one copy wins, whenever and wherever the copies arrive.
 *
 * Why claim before the work (STYLE.md: never mark a delivery seen before it is done): that rule is
 * for senders that retry with the same id. Nobody resends a chat-ops id in good faith: Slack retries
 * are dropped earlier (X-Slack-Retry-Num), Discord does not retry interactions, and a user whose
 * command failed runs it again, which has a new id. Claiming after the work would let concurrent
 * copies through. The price: if the Worker dies between the claim and the work, that request does
 * nothing, and the user, who got no answer, runs the command again.
 *
 * Guaranteed: one request id runs its work at most once while its record lives (24 h, see
 * CHATOPS_REQUEST_OBJECT_PREFIX; copies older than 5 minutes already fail the signature check).
 * Not guaranteed: that the claimed work ran (above). When the store cannot be reached, nothing runs.
 */
import { sha256Hex } from '../lib/crypto';
import type { IdempotencyKeyStore, StoredResponse } from '../storage/idempotency';
import { CHATOPS_REQUEST_OBJECT_PREFIX } from '../storage/keys';
import { MUTATING, type Command } from './commands';
import type { CommandContext } from './context';
import { errorReply, reply, type Reply } from './reply';

/** One constant: the record only says "claimed", and a copy carries the same id anyway. */
const FINGERPRINT = 'chatops-request';
const CLAIMED: StoredResponse = { status: 200, bodyJson: '{}' };

/** Mutating commands that do their work; the confirmation prompts only read KV, so a copy is harmless. */
export function needsReplayGuard(command: Command): boolean {
  if (!MUTATING.has(command.kind)) return false;
  // A command that asks to confirm first only does its work once confirmed.
  return 'confirmed' in command ? command.confirmed : true;
}

/** The platform's unique id for this request, or a SHA-256 of the signed raw body without one. */
export async function requestId(platformId: string | undefined, rawBody: string): Promise<string> {
  return platformId ? `id:${platformId}` : `sha256:${await sha256Hex(rawBody)}`;
}

/**
 * Claims the request for `command` and returns undefined when it may run, or the reply to send
 * instead: "already handled" for a copy, an error when the claim could not be made (nothing runs).
 * `id` is called only for commands that need the guard (a body hash is not free).
 */
export async function refuseReplay(
  command: Command,
  id: () => Promise<string>,
  ctx: CommandContext,
): Promise<Reply | undefined> {
  if (!needsReplayGuard(command)) return undefined;
  const outcome = await claimRequest(await id(), ctx, command.kind);
  if (outcome === 'claimed') return undefined;
  if (outcome === 'replay') {
    return reply('This request was already handled', {
      lines: [
        'It is a copy of a request that already ran, so nothing was done again.',
        'To do it again, run the command again.',
      ],
      tone: 'warning',
      ephemeral: true,
    });
  }
  return errorReply('Nothing was run', [
    'Could not check whether this request was already handled; it has been logged.',
    'Run the command again in a moment.',
  ]);
}

export type ClaimOutcome = 'claimed' | 'replay' | 'unavailable';

/**
 * Claims one request id (per platform) once: `claimed` for the first copy, `replay` for every later
 * one, `unavailable` when the store cannot say (run nothing). `what` names the work in the logs.
 * Slack's button clicks use it directly, with an id of their own (see slack-alert-actions.ts).
 */
export async function claimRequest(id: string, ctx: CommandContext, what: string): Promise<ClaimOutcome> {
  const name = `${CHATOPS_REQUEST_OBJECT_PREFIX}${ctx.actor.platform} ${id}`;
  // The id is not a credential, but it need not be in logs either: a hash prefix correlates.
  const log = ctx.log.child({ requestIdSha256: (await sha256Hex(name)).slice(0, 16) });
  const outcome = await claim(ctx, name, log);
  if (outcome === 'replay') log.warn('chat-ops: refusing a replayed request', { command: what });
  return outcome;
}

async function claim(ctx: CommandContext, name: string, log: CommandContext['log']): Promise<ClaimOutcome> {
  const namespace = ctx.env.IDEMPOTENCY as DurableObjectNamespace<IdempotencyKeyStore> | undefined;
  if (!namespace) {
    log.error('chat-ops: the IDEMPOTENCY Durable Object binding is not configured; refusing to run');
    return 'unavailable';
  }
  try {
    const store = namespace.get(namespace.idFromName(name));
    const begun = await store.begin(FINGERPRINT);
    // in_progress, replay (and, unreachable, mismatch or reconcile): someone else holds this id.
    if (begun.outcome !== 'new') return 'replay';
    // Completed at once rather than after the work: a pending claim lapses after its 60 s lease,
    // and a copy sent after that, still inside the 5-minute window, would run.
    if (!(await store.complete(FINGERPRINT, CLAIMED))) {
      log.error('chat-ops: the replay claim was lost before it was recorded; refusing to run');
      return 'unavailable';
    }
    return 'claimed';
  } catch (error) {
    log.error('chat-ops: could not claim the request id; refusing to run', { error });
    return 'unavailable';
  }
}
