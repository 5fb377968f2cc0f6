/** Unix time in whole seconds: what signature headers (Slack, Discord, Stripe, Standard Webhooks) carry. */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
