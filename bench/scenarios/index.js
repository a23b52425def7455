// Every benchmark row, in report order. A new scenario is one file here plus one line below
// (a file may hold several rows: S4a and S4b, ...).
import s1 from "./s1-create-fire.js";
import s2 from "./s2-chain-fired.js";
import s3 from "./s3-chain-then-fire.js";
import s4 from "./s4-combinators.js";
import s5 from "./s5-failure.js";
import s6 from "./s6-deep-nesting.js";
import s6r from "./s6r-deep-nesting-real.js";
import s7 from "./s7-memory.js";
import s8 from "./s8-await.js";
import s9 from "./s9-doxbee.js";
import s10 from "./s10-fan-out.js";
import s11 from "./s11-coroutine.js";
import s12 from "./s12-producer-consumer.js";

export const rows = [s1, s2, s3, s4, s5, s6, s6r, s7, s8, s9, s10, s11, s12].flat();
