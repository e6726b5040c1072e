/**
 * Makes `tf.grad`, `optimizer.minimize` and `model.fit` work under Node.
 *
 * tfjs-core's Node build (`dist/tf-core.node.js`) ships the ops but registers no gradient; the registrations
 * live in its ESM-only `dist/register_all_gradients.js`, which plain Node cannot load. tfjs-layers' Node build
 * bundles and registers all of them when imported, and it is a peer of this package anyway.
 */
export async function registerGradients(): Promise<void> {
  await import('@tensorflow/tfjs-layers');
}
