// The few host globals deferkit uses. Declared here (instead of pulling in the DOM or Node
// typings) so that `tsc -p tsconfig.build.json`, with `"types": []` and an ES-only `lib`,
// proves that src/ touches nothing else; browsers and Node both provide all of these.
declare function queueMicrotask(callback: () => void): void;
declare function setTimeout(handler: () => void, timeout?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare const console: {
  error(...data: unknown[]): void;
};
