/**
 * The one validation hook for every documented route: each zod failure becomes the same 400 envelope,
 * naming every bad field. Pass it as `defaultHook` to each OpenAPIHono router (hooks are per router).
 */
import { ApiError } from './api-error';

export interface ValidationResult {
  success: boolean;
  error?: { issues: readonly { path: readonly PropertyKey[]; message: string }[] };
}

export const validationHook = (result: ValidationResult) => {
  if (result.success || !result.error) return;
  const fields = result.error.issues.map((issue) => ({
    field: issue.path.map(String).join('.') || '(body)',
    message: issue.message,
  }));
  throw new ApiError(400, 'invalid_request', `invalid ${fields.map((f) => f.field).join(', ')}`, {
    details: fields,
  });
};

/** Throws the same 400 for a field checked by hand (e.g. a value zod cannot parse on its own). */
export function invalidField(field: string, message: string): never {
  validationHook({ success: false, error: { issues: [{ path: [field], message }] } });
  throw new Error('unreachable');
}
