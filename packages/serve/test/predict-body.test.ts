import type { RecordField } from '@ektm/datasets';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePredictBody, RequestError } from '../src/index.js';

const fields: RecordField[] = [
  { key: 'user', type: 'categorical', features: ['user'] },
  { key: 'price', type: 'numeric', features: ['price'] },
];

function problem(body: unknown, max = 4): RequestError {
  try {
    parsePredictBody(body, fields, max);
  } catch (error) {
    expect(error).toBeInstanceOf(RequestError);
    return error as RequestError;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('parsePredictBody', () => {
  it('accepts instances with every field, null for missing values, numbers as categorical values, and ignores other keys', () => {
    const instances = [
      { user: 'u1', price: 3.5 },
      { user: 7, price: null, click: 1 },
      { user: null, price: 0 },
    ];
    expect(parsePredictBody({ instances }, fields, 4)).toBe(instances);
  });

  it('refuses a body that is not an object with an instances array, naming what it got', () => {
    expect(problem([1]).message).toBe('the body must be a JSON object {"instances": [...]}, got an array');
    expect(problem('x').message).toBe('the body must be a JSON object {"instances": [...]}, got the string "x"');
    expect(problem(null).message).toBe('the body must be a JSON object {"instances": [...]}, got null');
    expect(problem({}).message).toBe('the body has no "instances" array');
    expect(problem({ inputs: [] }).message).toMatch(/no "instances" array \("inputs", the tensor form, is not supported/);
    expect(problem({ instances: { user: 'u' } }).message).toBe('"instances" must be an array, got an object');
    expect(problem({ instances: [] }).message).toBe('"instances" is empty; send at least one instance');
    const tooMany = problem({ instances: Array.from({ length: 5 }, () => ({ user: 'u', price: 1 })) });
    expect(tooMany.message).toBe('"instances" holds 5 instances; this server takes at most 4 per request');
    expect(tooMany.statusCode).toBe(400);
  });

  it('names the instance and the field of a missing or wrongly typed value', () => {
    const ok = { user: 'u', price: 1 };
    const missing = problem({ instances: [ok, ok, { user: 'u' }] });
    expect(missing.message).toBe('instances[2].price: is missing (every feature is required; send null for a missing value)');
    expect([missing.row, missing.field, missing.statusCode]).toEqual([2, 'price', 400]);
    expect(problem({ instances: [{ user: 'u', price: '12.5' }] }).message).toBe(
      'instances[0].price: must be a number or null, got the string "12.5"',
    );
    expect(problem({ instances: [ok, { user: true, price: 1 }] }).message).toBe(
      'instances[1].user: must be a string, a number or null, got the boolean true',
    );
    expect(problem({ instances: [{ user: ['a'], price: 1 }] }).message).toBe(
      'instances[0].user: must be a string, a number or null, got an array',
    );
    expect(problem({ instances: [ok, 'row'] }).message).toBe('instances[1]: must be an object of feature values, got the string "row"');
    // A key inherited from Object.prototype is not a value the client sent.
    const proto: RecordField[] = [{ key: 'constructor', type: 'categorical', features: ['c'] }];
    expect(() => parsePredictBody({ instances: [{}] }, proto, 1)).toThrow('instances[0].constructor: is missing');
  });

  it('either accepts a body or throws a RequestError, whatever JSON it is given', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(fc.dictionary(fc.constantFrom('user', 'price', 'x'), fc.jsonValue()), { maxLength: 6 }),
        (body, instances) => {
          for (const candidate of [body, { instances }]) {
            try {
              parsePredictBody(candidate, fields, 4);
            } catch (error) {
              expect(error).toBeInstanceOf(RequestError);
            }
          }
        },
      ),
      { numRuns: 300, seed: 7 },
    );
  });
});
