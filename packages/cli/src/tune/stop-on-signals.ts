/**
 * Stops `controller` on the first SIGINT or SIGTERM (the search ends cleanly, what is finished is kept); a second one
 * ends the process at once. Returns the function that removes the handlers.
 */
export function stopOnSignals(controller: AbortController, say: (line: string) => void): () => void {
  let count = 0;
  const handler = (signal: NodeJS.Signals) => {
    count++;
    if (count > 1) process.exit(130);
    say(`${signal}: stopping after writing what is finished (press Ctrl-C again to quit at once)`);
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
