import type { OptionSchemaFor, TaskSpec } from '@ektm/core';
import { ConfigError } from '@ektm/core';

/** The two steps of a conversion funnel, as names of tasks of a dataset. */
export interface FunnelNames {
  /** The CTR task (entire space), e.g. `click`. */
  click?: string;
  /** The conversion task, e.g. `purchase`; its label must be 0 wherever the click label is 0. */
  conversion?: string;
}

/** The keys of {@link FunnelNames}, documented. */
export const FUNNEL_NAMES_OPTION_SCHEMA: OptionSchemaFor<FunnelNames> = {
  click: { type: 'string', defaultText: 'the funnel of the task set', doc: 'The CTR task (entire space), e.g. click.', tunable: false },
  conversion: { type: 'string', defaultText: 'the funnel of the task set', doc: 'The conversion task, e.g. purchase.', tunable: false },
};

/** A funnel resolved against a task list: the task names and the label names to train on. */
export interface ResolvedFunnel {
  /** Name of the CTR task. */
  click: string;
  /** Label of the CTR task. */
  clickLabel: string;
  /** Name of the conversion task in the dataset. */
  conversion: string;
  /** Label of the conversion (over every impression: 1 only where clicked and converted). */
  conversionLabel: string;
}

/**
 * Finds the click → conversion pair of a task list, for the models of the sequential pattern (ESMM, ESCM2,
 * AITM). Explicit names win. Otherwise: an ESMM-shaped task set (a task with `product: [click, cvr]`) gives
 * `click` and the product task's label; else exactly one task with a `parent` gives the parent as click and that
 * task as conversion. Anything else (a parallel task set such as census income/marital, or several conversions
 * of one click) throws, naming the tasks and how to choose.
 */
export function resolveFunnel(tasks: readonly TaskSpec[], names: FunnelNames, model: string): ResolvedFunnel {
  const byName = new Map(tasks.map((t) => [t.name, t]));
  const labelOf = (name: string) => byName.get(name)!.label ?? name;
  const listed = tasks.map((t) => t.name).join(', ');
  for (const key of ['click', 'conversion'] as const) {
    const name = names[key];
    if (name !== undefined && !byName.has(name))
      throw new ConfigError(`${model}.${key}: "${name}" is not a task; tasks are ${listed}`, `${model}.${key}`);
  }
  if (names.click !== undefined && names.click === names.conversion)
    throw new ConfigError(`${model}: click and conversion must be two different tasks`, model);
  if (names.click !== undefined && names.conversion !== undefined) {
    return {
      click: names.click,
      clickLabel: labelOf(names.click),
      conversion: names.conversion,
      conversionLabel: labelOf(names.conversion),
    };
  }
  const product = tasks.find((t) => t.product && t.product.length === 2 && (names.click === undefined || t.product[0] === names.click));
  if (product && names.conversion === undefined) {
    const click = product.product![0]!;
    return { click, clickLabel: labelOf(click), conversion: product.name, conversionLabel: labelOf(product.name) };
  }
  const children = tasks.filter(
    (t) =>
      t.parent !== undefined &&
      !t.product &&
      (names.click === undefined || t.parent === names.click) &&
      (names.conversion === undefined || t.name === names.conversion),
  );
  if (children.length === 1) {
    const child = children[0]!;
    return { click: child.parent!, clickLabel: labelOf(child.parent!), conversion: child.name, conversionLabel: labelOf(child.name) };
  }
  const why =
    children.length > 1
      ? `several tasks follow a click (${children.map((c) => c.name).join(', ')})`
      : 'no task follows another (no parent or product)';
  throw new ConfigError(
    `${model} models a click → conversion funnel, but ${why} in tasks ${listed}; pass { click, conversion } naming two of them ` +
      `(the conversion label must be 0 wherever the click label is 0)`,
  );
}
