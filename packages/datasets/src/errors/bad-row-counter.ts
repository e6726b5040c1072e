import { DatasetError } from './dataset-error.js';

/** How many malformed rows a load skipped, with the first few messages so that users can see what went wrong. */
export interface BadRowReport {
  /** Rows skipped because they were malformed. */
  count: number;
  /** The error messages of the first skipped rows (at most 10). */
  examples: string[];
}

const MAX_EXAMPLES = 10;

/**
 * The `maxBadRows` budget: a malformed row is skipped and counted while the budget lasts; the row that
 * exceeds it raises its own error. With a budget of 0 (the default) the first bad row is an error.
 */
export class BadRowCounter {
  private skipped = 0;
  private readonly messages: string[] = [];

  /** @param maxBadRows how many malformed rows may be skipped before one is an error */
  constructor(
    /** How many malformed rows may be skipped before one is an error. */
    readonly maxBadRows: number,
  ) {}

  /** Skips one bad row, or throws `error` when the budget is spent. */
  record(error: DatasetError): void {
    if (this.skipped >= this.maxBadRows) {
      throw this.maxBadRows > 0 ? error.withDetail(` (more than maxBadRows = ${this.maxBadRows} bad rows)`) : error;
    }
    this.skipped++;
    if (this.messages.length < MAX_EXAMPLES) this.messages.push(error.message);
  }

  /** The count and examples so far. */
  report(): BadRowReport {
    return { count: this.skipped, examples: [...this.messages] };
  }
}
