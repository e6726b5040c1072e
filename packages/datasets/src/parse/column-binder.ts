import type { ColumnRef } from '../spec/dataset-spec.js';
import type { FileLayout } from './file-layout.js';
import { DatasetError } from '../errors/dataset-error.js';
import { fileName } from '../errors/file-name.js';

/** A spec column bound to a file's layout: where its value sits in a decoded row. */
export interface BoundColumn {
  /** Index into the dense value array a row is decoded into. */
  slot: number;
  /** The field index, or the key of a `key:value` field. */
  column: number | string;
  /** The column's name (header name, `format.columns` name, key, or the index as text). */
  name: string;
}

/**
 * Resolves spec columns (names, keys or 0-based indexes) against one file's layout. Positional columns keep
 * their index as slot; each `key:value` key gets a slot after them. An unknown column is a `DatasetError`
 * naming the spec key and the file, listing the columns that do exist.
 */
export class ColumnBinder {
  private readonly keySlots = new Map<string, number>();
  private readonly byName = new Map<string, number>();

  constructor(readonly layout: FileLayout) {
    layout.names?.forEach((n, i) => this.byName.set(n, i));
  }

  /** Width of the dense value array: the positional fields plus one slot per bound key. */
  get width(): number {
    return this.layout.fieldCount + this.keySlots.size;
  }

  /** Slots of the bound `key:value` keys. */
  get keys(): ReadonlyMap<string, number> {
    return this.keySlots;
  }

  /** Binds a column, or throws naming `key` (the spec path, e.g. `features[3].column`). */
  bind(ref: ColumnRef, key: string): BoundColumn {
    const { layout } = this;
    if (typeof ref === 'number') {
      const limit = layout.keyValue ? layout.keyValue.from : layout.fieldCount;
      if (ref >= limit) {
        const why = layout.keyValue
          ? `column ${ref} is not one of the ${limit} leading columns; name a key:value field by its key`
          : `column ${ref} is out of range: rows have ${limit} fields (0 to ${limit - 1})`;
        this.fail(key, why);
      }
      return { slot: ref, column: ref, name: layout.names?.[ref] ?? String(ref) };
    }
    const index = this.byName.get(ref);
    if (index !== undefined) return { slot: index, column: index, name: ref };
    if (layout.keyValue) {
      let slot = this.keySlots.get(ref);
      if (slot === undefined) {
        slot = layout.fieldCount + this.keySlots.size;
        this.keySlots.set(ref, slot);
      }
      return { slot, column: ref, name: ref };
    }
    if (!layout.names && /^\d+$/.test(ref)) return this.bind(Number(ref), key);
    const known = layout.names
      ? `columns are ${listNames(layout.names)}`
      : `the file has no header, so use 0-based indexes (0 to ${layout.fieldCount - 1}) or name the columns in format.columns`;
    this.fail(key, `"${ref}" is not a column of ${layout.file ? fileName(layout.file) : 'the data'}; ${known}`);
  }

  private fail(key: string, detail: string): never {
    throw new DatasetError(detail, { key, file: this.layout.file, line: this.layout.headerLine });
  }
}

function listNames(names: readonly string[]): string {
  const shown = names.slice(0, 30).join(', ');
  return names.length > 30 ? `${shown}, ... (${names.length} in all)` : shown;
}
