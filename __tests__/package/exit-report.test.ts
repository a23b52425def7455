// The exit report (see __tests__/contracts/exit-report.ts) of the built package, imported by
// its name as users do.
import { resolve } from "node:path";
import { exitReportContract } from "../contracts/exit-report";

exitReportContract({ name: "built package", specifier: () => "deferkit", cwd: resolve(__dirname, "../..") });
