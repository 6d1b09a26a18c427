/** `target.push(...items)` without the argument-count limit (hostile input can make millions). */
export function pushAll<T>(target: T[], items: readonly T[]): T[] {
  for (const item of items) target.push(item);
  return target;
}
