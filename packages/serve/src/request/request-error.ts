import { DataError, type DataErrorLocation } from '@ektm/core';

/**
 * A request the server refuses, with its HTTP status (400 for a malformed body or instance, 404 for an unknown
 * model). The message names the instance and the field at fault, e.g.
 * `instances[3].item_price: must be a number or null, got the string "12.5"`.
 */
export class RequestError extends DataError {
  /** Always `RequestError`. */
  override readonly name = 'RequestError';

  constructor(
    message: string,
    /** The HTTP status to answer with. */
    readonly statusCode: number,
    /** The instance (`row`, 0-based) and field at fault, when the problem is inside one instance. */
    where: DataErrorLocation = {},
  ) {
    super(message, where);
  }
}
