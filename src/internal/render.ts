// Short renderings of values for people: what `Deferred#toString()`, Node's `console.log` of a
// Deferred or Failure, and the testing helpers' messages show. In the spirit of Twisted's repr
// and Node's inspect, but small: one line, a few elements, a bounded length.
import { DEFERRED_BRAND, FAILURE_BRAND, hasBrand } from "./brand.js";

const MAX_LENGTH = 72;
const MAX_ITEMS = 5;

/** `value` in one short line: `{ user: null }`, `[1, 2, 3]`, `Error: boom`, `"text"`. @internal */
export function render(value: unknown): string {
  let text: string;
  try {
    text = renderAt(value, 0);
  } catch {
    text = Object.prototype.toString.call(value); // a throwing getter, a revoked proxy...
  }
  return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH - 1)}…` : text;
}

function renderAt(value: unknown, depth: number): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value.length > 40 ? `${value.slice(0, 39)}…` : value);
    case "bigint":
      return `${value}n`;
    case "function":
      return `[Function ${value.name || "(anonymous)"}]`;
    case "symbol":
      return value.toString();
    case "object":
      break;
    default:
      return Object.is(value, -0) ? "-0" : String(value);
  }
  if (value === null) return "null";
  if (hasBrand(value, DEFERRED_BRAND)) return depth === 0 ? String(value) : "Deferred";
  if (hasBrand(value, FAILURE_BRAND)) return String(value);
  const v = value as Record<string, unknown>;
  if (value instanceof Error || (typeof v.message === "string" && typeof v.stack === "string")) {
    return `${typeof v.name === "string" ? v.name : "Error"}: ${String(v.message)}`;
  }
  if (Array.isArray(value)) {
    if (depth > 1) return `[Array(${value.length})]`;
    const items = value.slice(0, MAX_ITEMS).map((item) => renderAt(item, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
    return `[${items.join(", ")}]`;
  }
  const ctor = (v.constructor as { name?: unknown } | undefined)?.name;
  const prefix = typeof ctor === "string" && ctor !== "Object" && ctor !== "" ? `${ctor} ` : "";
  if (value instanceof Map || value instanceof Set) return `${prefix}(${value.size})`;
  if (typeof v.then === "function") return `${prefix || "thenable "}{…}`;
  const keys = Object.keys(value);
  if (keys.length === 0) return `${prefix}{}`;
  if (depth > 1) return `${prefix}{…}`;
  const entries = keys.slice(0, MAX_ITEMS).map((key) => `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${renderAt(v[key], depth + 1)}`);
  if (keys.length > MAX_ITEMS) entries.push(`… ${keys.length - MAX_ITEMS} more`);
  return `${prefix}{ ${entries.join(", ")} }`;
}
