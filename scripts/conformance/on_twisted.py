#!/usr/bin/env python3
"""Runs conformance programs (JSON, from gen.mjs) on Twisted's twisted.internet.defer and
prints one trace per program (JSON lines). The same programs run on deferkit in run.mjs;
compare.mjs diffs the two. Needs Debian's python3-twisted (apt-get install -y python3-twisted)."""
import json
import sys

from twisted.internet import defer
from twisted.python.failure import Failure


class E1(Exception):
    pass


class E2(Exception):
    pass


ERRORS = {"E1": E1, "E2": E2}


def run(program):
    ds = []
    trace = []
    gathers = set()

    def show(x):
        if isinstance(x, Failure):
            v = x.value
            if isinstance(v, defer.FirstError):
                return "F:FirstError#%d(%s)" % (v.index, show(v.subFailure))
            return "F:" + type(v).__name__
        if isinstance(x, defer.Deferred):
            return "D%d" % next((i for i, d in enumerate(ds) if d is x), -1)
        if isinstance(x, (list, tuple)):
            return [show(e) for e in x]
        if x is True or x is False:
            return x
        return x

    def make_step(sid, kind):
        def step(r):
            trace.append(["step", sid, show(r)])
            k = kind[0]
            if k == "value":
                return kind[1]
            if k == "same":
                return r
            if k == "raise":
                raise ERRORS[kind[1]]()
            if k == "failure":
                return Failure(ERRORS[kind[1]]())
            if k == "deferred":
                return ds[kind[1]]
            raise AssertionError(kind)
        return step

    for n, op in enumerate(program):
        k = op[0]
        try:
            if k == "new":
                i = len(ds)
                if op[1]:
                    ds.append(defer.Deferred(lambda d, i=i: trace.append(["canceller", i])))
                else:
                    ds.append(defer.Deferred())
            elif k == "callback":
                ds[op[1]].callback(op[2])
            elif k == "errback":
                ds[op[1]].errback(Failure(ERRORS[op[2]]()))
            elif k in ("addCallback", "addErrback", "addBoth"):
                getattr(ds[op[1]], k)(make_step(n, op[2]))
            elif k == "pause":
                ds[op[1]].pause()
            elif k == "unpause":
                ds[op[1]].unpause()
            elif k == "cancel":
                ds[op[1]].cancel()
            elif k == "chainDeferred":
                ds[op[1]].chainDeferred(ds[op[2]])
            elif k == "DeferredList":
                ds.append(defer.DeferredList([ds[j] for j in op[1]], fireOnOneCallback=op[2], fireOnOneErrback=op[3], consumeErrors=op[4]))
            elif k == "gatherResults":
                gathers.add(len(ds))
                ds.append(defer.gatherResults([ds[j] for j in op[1]], consumeErrors=op[2]))
            else:
                raise AssertionError(op)
        except RecursionError:
            trace.append(["op", n, "threw", "RecursionError"])
        except Exception as e:
            trace.append(["op", n, "threw", type(e).__name__])
    end = []
    for i, d in enumerate(ds):
        result = getattr(d, "result", None)
        if i in gathers and d.paused and isinstance(result, list) and all(isinstance(e, tuple) for e in result):
            # Twisted's gatherResults is a DeferredList plus a parsing step; paused, it still
            # holds the unparsed list. No step can see that: show what the step will give.
            result = [r for (_, r) in result]
        end.append([d.called, d.paused, show(result) if hasattr(d, "result") else "none"])
        if hasattr(d, "result") and isinstance(d.result, Failure):
            d.addErrback(lambda f: None)  # no "Unhandled error" noise
    return {"trace": trace, "end": end}


def main():
    sys.setrecursionlimit(2000)
    programs = json.load(open(sys.argv[1]))
    for p in programs:
        print(json.dumps(run(p), separators=(",", ":")))


main()
