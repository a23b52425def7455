// Every benchmark row, in report order. A new scenario is one file here plus one line below.
import s1 from "./s1-create-fire.js";
import s2 from "./s2-chain-fired.js";
import s3 from "./s3-chain-then-fire.js";

export const rows = [s1, s2, s3].flat();
