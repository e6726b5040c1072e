/**
 * tfjs-backend-wasm's Emscripten module, when it starts in Node, adds `uncaughtException` and `unhandledRejection`
 * listeners that rethrow (and its own clean-up never removes them). Every later uncaught error of the application
 * is then printed from inside tf-backend-wasm.node.js, as if the backend had failed. These helpers remove the
 * listeners a backend's start-up added, so Node reports an application's errors itself.
 */

const EVENTS = ['uncaughtException', 'unhandledRejection'] as const;

/** A listener of either event. */
type Listener = (...args: unknown[]) => void;

/** The process's listeners of an event, through the untyped EventEmitter view (the two events' types differ). */
function listenersOf(event: (typeof EVENTS)[number]): Listener[] {
  return (process as unknown as NodeJS.EventEmitter).listeners(event) as Listener[];
}

/** The process's listeners of the two events, to compare with after a backend starts. */
export type ProcessListenerSnapshot = Record<(typeof EVENTS)[number], readonly ((...args: unknown[]) => void)[]>;

/** The current listeners (empty outside Node). */
export function snapshotProcessListeners(): ProcessListenerSnapshot {
  const listeners = (event: (typeof EVENTS)[number]) =>
    typeof process !== 'undefined' && typeof process.listeners === 'function' ? listenersOf(event) : [];
  return { uncaughtException: listeners('uncaughtException'), unhandledRejection: listeners('unhandledRejection') };
}

/** Removes every listener of the two events added since `before`; returns how many were removed. */
export function removeAddedProcessListeners(before: ProcessListenerSnapshot): number {
  if (typeof process === 'undefined' || typeof process.removeListener !== 'function') return 0;
  let removed = 0;
  for (const event of EVENTS) {
    for (const listener of listenersOf(event)) {
      if (before[event].includes(listener)) continue;
      (process as unknown as NodeJS.EventEmitter).removeListener(event, listener);
      removed++;
    }
  }
  return removed;
}
