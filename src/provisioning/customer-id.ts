/** The customer id a signup or Stripe event names (./label.ts builds labels and object names from it). */
import * as z from 'zod';

/**
 * A customer id: printable ASCII without spaces, so it survives a label, a log line and a Durable
 * Object name unchanged. 100 characters leaves room for the prefix in Webshare's 255-character label.
 */
export const CustomerIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/, 'a customer id is printable ASCII without spaces');
