// Compile-time assertions for the type tests: `expectType<Equal<A, B>>()` fails to compile
// unless A and B are the same type (not merely assignable to each other).

/** `true` when A and B are identical types, else `false`. */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends <X>() => X extends B ? 1 : 2 ? true : false;

/** Compiles only when `T` is `true`. */
export function expectType<T extends true>(_ok?: T): void {}
