/**
 * Makes `tf.grad`, `optimizer.minimize` and `model.fit` work under Node.
 *
 * tfjs-core's Node build (`dist/tf-core.node.js`) ships the ops but registers no gradient; the registrations
 * live in its ESM-only `dist/register_all_gradients.js`, which plain Node cannot load. tfjs-layers' Node build
 * bundles and registers all of them when imported, and it is a peer of this package anyway. Resolves to the
 * loaded tfjs-layers' version, for the version guard.
 */
export async function registerGradients(): Promise<string | undefined> {
  const layers = (await import('@tensorflow/tfjs-layers')) as { version_layers?: string; default?: { version_layers?: string } };
  return layers.version_layers ?? layers.default?.version_layers;
}
