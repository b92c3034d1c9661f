/**
 * The props that have a value. Taro's H5 components copy every prop onto the element, so an
 * `id={undefined}` would become id="undefined" and a `type={undefined}` would drop the default.
 */
export function defined<T extends Record<string, unknown>>(props: T): Partial<T> {
  return Object.fromEntries(Object.entries(props).filter(([, value]) => value !== undefined)) as Partial<T>;
}
