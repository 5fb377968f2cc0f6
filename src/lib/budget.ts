/**
 * Counts the outbound requests of one invocation against a ceiling. Workers cap subrequests per
 * invocation (50 on the Free plan), and every outbound call — Webshare, Slack, Discord, webhooks —
 * draws from the same budget, so one object is shared by every client of a tick.
 */
export class SubrequestBudget {
  #used = 0;

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`budget limit must be a whole number ≥ 0`);
  }

  get used(): number {
    return this.#used;
  }

  get remaining(): number {
    return Math.max(0, this.limit - this.#used);
  }

  /** Takes one request from the budget; false when none is left (nothing is taken then). */
  tryTake(): boolean {
    if (this.#used >= this.limit) return false;
    this.#used++;
    return true;
  }
}

/** A budget for contexts with no ceiling of their own (an HTTP request makes only a handful of calls). */
export function unlimitedBudget(): SubrequestBudget {
  return new SubrequestBudget(Number.MAX_SAFE_INTEGER);
}
