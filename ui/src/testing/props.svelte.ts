// Props a component test changes after mounting: a `$state` object passed to `mount` (runes work
// only in .svelte(.ts) files, so the tests get them from here).

/** A reactive copy of `initial`: assigning to its fields updates a component mounted with it. */
export function reactiveProps<T extends object>(initial: T): T {
  const props = $state(initial);
  return props;
}
