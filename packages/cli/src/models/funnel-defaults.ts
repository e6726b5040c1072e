import type { TaskSpec } from '@ektm/core';

/** The registry names of models that predict exactly one click → conversion funnel. */
export const FUNNEL_MODELS: readonly string[] = ['esmm', 'escm2'];

/** Which funnel a funnel model is given on a task set with several conversions, and why. */
export interface FunnelChoice {
  /** The click task. */
  click: string;
  /** The conversion task the model predicts. */
  conversion: string;
  /** The model's CVR task is named after the conversion, so its metrics line up with the other models'. */
  cvrTask: string;
  /** The conversions the model leaves out. */
  leftOut: string[];
}

/**
 * ESMM and ESCM2 model one funnel (click → conversion, CTCVR = CTR × CVR). On a task set with several
 * conversions after one click (the parallel pattern: purchase, cart, favourite), the comparison gives them the
 * first conversion, names their CVR task after it so that its metrics line up with the other models', and
 * reports the conversions they leave out. Undefined when the task set is already a single funnel or ESMM-shaped.
 */
export function funnelChoice(tasks: readonly TaskSpec[]): FunnelChoice | undefined {
  if (tasks.some((t) => t.product !== undefined)) return undefined;
  const children = tasks.filter((t) => t.parent !== undefined);
  if (children.length <= 1) return undefined;
  const first = children[0]!;
  const siblings = children.filter((t) => t.parent === first.parent);
  return { click: first.parent!, conversion: first.name, cvrTask: first.name, leftOut: siblings.slice(1).map((t) => t.name) };
}
