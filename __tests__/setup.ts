// Tests create failed Deferreds on purpose and drop some of them; when the garbage collector
// finds those, the default handler would print "Unhandled error in Deferred" into the test
// output. Collect them instead; the tests of the hook itself install their own handler.
import { onUnhandledFailure } from "../src/index.js";

onUnhandledFailure(() => {});
