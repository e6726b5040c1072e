// A backbone for tests of the blocks that sit on per-task representations (router, transmitter, enhancer).
import { Mlp, type BlockOption } from '@ektm/core';

/** A backbone with one small MLP per task over `$input`, so that task representations differ. */
export function perTaskBackbone(width = 6): BlockOption {
  return (ctx) =>
    ctx.towerTasks.map(
      (task, i) => new Mlp({ key: '$input', outputKey: task, units: [width], seed: ctx.seed + i, name: `bottom_${task}` }),
    );
}
