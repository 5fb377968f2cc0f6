/** The country codes Webshare speaks: ISO 3166-1 alpha-2, upper-case, with ZZ for "any country". */
import * as z from 'zod';

export const CountryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'expected a two-letter upper-case country code like US (ZZ: any country)');
