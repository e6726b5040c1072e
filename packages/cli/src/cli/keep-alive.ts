/**
 * Keeps the process alive until `work` settles, and resolves as it does.
 *
 * A pending promise alone does not keep Node running: if the work waits on something that holds no handle of its own
 * (tfjs-backend-wasm's pthread workers are unref'd, so that they never keep a finished process alive), Node ends the
 * process as soon as nothing else is pending, with exit code 0 and no output — a silent, wrong success. One ref'd
 * timer for the duration of the work prevents that.
 */
export async function keepAliveWhile<T>(work: Promise<T>): Promise<T> {
  const timer = setInterval(() => undefined, 2 ** 30);
  try {
    return await work;
  } finally {
    clearInterval(timer);
  }
}
