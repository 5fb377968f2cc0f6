/**
 * Proxy access (authorised IPs, the proxy password), the part every dialect shares: the edits, the
 * ceiling, the errors, the generated password and the change lock. Each dialect's calls are its
 * client's (v1/access.ts, v2/access.ts), behind WebshareApi.
 */
export * from './ip-set';
export * from './types';
export { generateProxyPassword, GENERATED_PASSWORD_LENGTH } from './password';
export { ACCESS_WEBSHARE_SUBREQUESTS } from './budget';
