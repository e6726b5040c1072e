/**
 * The last segment of a path (`/data/adult.data` → `adult.data`), for error messages. A local function instead of
 * `node:path`'s `basename`, so that the modules the browser entry uses (the preprocessor and its errors) import
 * nothing from Node. Both separators count, as they do for `path.basename` on Windows.
 */
export function fileName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.slice(Math.max(trimmed.lastIndexOf('/'), trimmed.lastIndexOf('\\')) + 1);
}
