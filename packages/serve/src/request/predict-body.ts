import type { RawRecord, RecordField } from '@ektm/datasets';
import { RequestError } from './request-error.js';

/** How a value looks in a message: its JSON type and, for a scalar, the value itself. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  return `a ${typeof value}`;
}

/** Why a field's value cannot be used, or undefined when it can. `null` is a missing value for every type. */
function valueProblem(value: unknown, field: RecordField): string | undefined {
  if (value === null) return undefined;
  if (field.type === 'numeric') return typeof value === 'number' ? undefined : `must be a number or null, got ${describe(value)}`;
  return typeof value === 'string' || typeof value === 'number' ? undefined : `must be a string, a number or null, got ${describe(value)}`;
}

/**
 * Checks the body of a KServe v1 predict request, `{"instances": [{field: value, ...}, ...]}`, against the model's
 * record fields and returns the instances as raw records. Every field the model reads must be present in every
 * instance (null for a missing value; other keys are ignored); numeric fields take numbers, categorical fields
 * strings or numbers. The first problem found is a `RequestError` (400) naming the instance and the field.
 */
export function parsePredictBody(body: unknown, fields: readonly RecordField[], maxInstances: number): RawRecord[] {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError(`the body must be a JSON object {"instances": [...]}, got ${describe(body)}`, 400);
  }
  const instances = (body as { instances?: unknown }).instances;
  if (instances === undefined) {
    const hint = 'inputs' in body ? ' ("inputs", the tensor form, is not supported: send one object of feature values per row)' : '';
    throw new RequestError(`the body has no "instances" array${hint}`, 400, { field: 'instances' });
  }
  if (!Array.isArray(instances))
    throw new RequestError(`"instances" must be an array, got ${describe(instances)}`, 400, { field: 'instances' });
  if (instances.length === 0) throw new RequestError('"instances" is empty; send at least one instance', 400, { field: 'instances' });
  if (instances.length > maxInstances) {
    throw new RequestError(`"instances" holds ${instances.length} instances; this server takes at most ${maxInstances} per request`, 400, {
      field: 'instances',
    });
  }
  for (let i = 0; i < instances.length; i++) {
    const instance: unknown = instances[i];
    if (typeof instance !== 'object' || instance === null || Array.isArray(instance)) {
      throw new RequestError(`instances[${i}]: must be an object of feature values, got ${describe(instance)}`, 400, { row: i });
    }
    for (const field of fields) {
      const value = (instance as Record<string, unknown>)[field.key];
      const problem =
        value === undefined || !Object.prototype.hasOwnProperty.call(instance, field.key)
          ? 'is missing (every feature is required; send null for a missing value)'
          : valueProblem(value, field);
      if (problem) throw new RequestError(`instances[${i}].${field.key}: ${problem}`, 400, { row: i, field: field.key });
    }
  }
  return instances as RawRecord[];
}
