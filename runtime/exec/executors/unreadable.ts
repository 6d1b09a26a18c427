/** A stage's unreadable images (runtime/data/unreadable.ts) into its outputs, and a warning in its log. */
import { describeUnreadable, publishedUnreadable, writeUnreadable, type Unreadable } from "../../data/unreadable.js";
import type { StageContext } from "./context.js";

/** Publishes what the stage's loader could not read (paths relative to the dataset root); nothing when it read every image. */
export function publishUnreadable(ctx: Pick<StageContext, "out" | "log">, u: Unreadable, root: string | null): void {
  if (u.count === 0) return;
  const published = publishedUnreadable(u, root);
  writeUnreadable(ctx.out, published);
  ctx.log(`warning: ${describeUnreadable(published)}`);
}
