// Runs before every test file: every test runs on the engine users get (on a plain machine: wasm with its
// kernel patches), quietly. `EKTM_BACKEND=cpu npx vitest run` runs the suite on another backend instead.
// A test that switches backends with tf.setBackend calls initEngine() again to come back.
import { initEngine } from '@ektm/engine';

await initEngine({ quiet: true });
