/** `items` with `f` applied to each, lazily: one item is taken only when the next is asked. */
export function* mapIterable<T, U>(items: Iterable<T>, f: (item: T) => U): Generator<U> {
  for (const item of items) yield f(item);
}
