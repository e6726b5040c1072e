import type { FileLayout } from './file-layout.js';

/**
 * Why a row's field count is wrong for the layout, or undefined when it is right. Shared by the file reader and
 * `Preprocessor.encodeRows`, in a module of its own so that serving (also in a browser) does not import the reader.
 */
export function fieldCountProblem(count: number, layout: FileLayout): string | undefined {
  if (layout.keyValue) {
    return count < layout.keyValue.from
      ? `expected at least ${layout.keyValue.from} fields before the key:value fields, found ${count}`
      : undefined;
  }
  if (count === layout.fieldCount) return undefined;
  const source = layout.headerLine !== undefined ? 'as in the header' : layout.names ? 'as in format.columns' : 'as in the first row';
  return `expected ${layout.fieldCount} fields (${source}), found ${count}`;
}
