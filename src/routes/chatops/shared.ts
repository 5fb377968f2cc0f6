/** What both chat-ops routes share: the bound on a signed body. */

/** Slash-command forms and interactions are a few KB; anything near this is not from Slack or Discord. */
export const MAX_CHATOPS_BODY_BYTES = 256 * 1024;
