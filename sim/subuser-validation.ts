/** Validation of sub-user create (POST) and partial update (PATCH) bodies, with DRF's messages. */
import type { FieldIssue } from './responses';

export interface SubUserInput {
  label?: string;
  proxy_limit?: number;
  max_thread_count?: number;
  proxy_countries?: Record<string, number> | null;
  bandwidth_use_start_date?: string;
}

const LABEL_MAX_CHARS = 255;
const COUNTRY_CODE = /^[A-Z]{2}$/;

/** Checks every documented field; on create, label and proxy_limit are required. */
export function validateSubUser(
  input: Record<string, unknown>,
  mode: 'create' | 'update',
): { issues: FieldIssue[]; values: SubUserInput } {
  const issues: FieldIssue[] = [];
  const values: SubUserInput = {};
  const issue = (field: string, message: string, code: string) => issues.push({ field, message, code });
  const required = (field: string) => {
    if (mode === 'create' && input[field] === undefined) {
      issue(field, 'This field is required.', 'required');
      return false;
    }
    return input[field] !== undefined;
  };

  if (required('label')) {
    const label = input.label;
    if (typeof label !== 'string') issue('label', 'Not a valid string.', 'invalid');
    else if (label.trim() === '') issue('label', 'This field may not be blank.', 'blank');
    else if (label.length > LABEL_MAX_CHARS) {
      issue('label', `Ensure this field has no more than ${LABEL_MAX_CHARS} characters.`, 'max_length');
    } else values.label = label;
  }

  if (required('proxy_limit')) {
    const limit = toNumber(input.proxy_limit);
    if (limit === undefined) issue('proxy_limit', 'A valid number is required.', 'invalid');
    else if (limit < 0) issue('proxy_limit', 'Ensure this value is greater than or equal to 0.', 'min_value');
    else values.proxy_limit = limit;
  }

  if (input.max_thread_count !== undefined) {
    const threads = toNumber(input.max_thread_count);
    if (threads === undefined || !Number.isInteger(threads)) {
      issue('max_thread_count', 'A valid integer is required.', 'invalid');
    } else if (threads < 1) {
      issue('max_thread_count', 'Ensure this value is greater than or equal to 1.', 'min_value');
    } else values.max_thread_count = threads;
  }

  if (input.proxy_countries !== undefined) {
    const countries = input.proxy_countries;
    if (countries === null) values.proxy_countries = null;
    else if (typeof countries !== 'object' || Array.isArray(countries)) {
      const type = Array.isArray(countries) ? 'list' : typeof countries;
      issue('proxy_countries', `Expected a dictionary of items but got type "${type}".`, 'not_a_dict');
    } else {
      const entries = Object.entries(countries as Record<string, unknown>);
      const badCode = entries.find(([code]) => !COUNTRY_CODE.test(code));
      const badCount = entries.find(([, n]) => typeof n !== 'number' || !Number.isInteger(n) || n < 0);
      if (badCode) issue('proxy_countries', `"${badCode[0]}" is not a valid country code.`, 'invalid_choice');
      else if (badCount) issue('proxy_countries', 'A valid integer is required.', 'invalid');
      else values.proxy_countries = Object.fromEntries(entries) as Record<string, number>;
    }
  }

  if (mode === 'update' && input.bandwidth_use_start_date !== undefined) {
    const start = input.bandwidth_use_start_date;
    if (typeof start !== 'string' || Number.isNaN(Date.parse(start)) || !/^\d{4}-\d{2}-\d{2}T/.test(start)) {
      const message =
        'Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm[:ss[.uuuuuu]][+HH:MM|-HH:MM|Z].';
      issue('bandwidth_use_start_date', message, 'invalid');
    } else values.bandwidth_use_start_date = new Date(start).toISOString();
  }

  return { issues, values };
}

/** DRF number fields accept JSON numbers and numeric strings. */
function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}
