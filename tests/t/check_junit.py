#!/usr/bin/python3
"""Read perfgate JUnit files back with python3-junitparser, an independent
consumer, and check that what it sees agrees with itself and with what the
test expects.

usage: check_junit.py FILE [NAME=KIND[:MESSAGE]]...

For every FILE: the suite's tests/failures/errors/skipped counts match its
test cases, every time parses as a non-negative float, every test case has a
name and a classname, and every failure message has the shape
"+12.3% [+9.8%, +14.9%] p=0.0004" or "over budget...".  Each NAME=KIND
requires a test case NAME whose result is KIND (pass, failure, error,
skipped) and, when given, whose message is exactly MESSAGE.
"""
import re
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

MESSAGE = re.compile(r"^([+-]?\d+\.\d% \[[+-]?\d+\.\d%, [+-]?\d+\.\d%\]|"
                     r"too noisy to estimate) "
                     r"p=(<0\.0001|\d\.\d{4}|n/a)(; over budget.*)?$")


def kind(case):
    for r in case.result:
        if isinstance(r, Failure):
            return "failure", r
        if isinstance(r, Error):
            return "error", r
        if isinstance(r, Skipped):
            return "skipped", r
    return "pass", None


def check(path, wants):
    xml = JUnitXml.fromfile(path)
    seen = {}
    nsuites = 0
    for suite in xml:
        nsuites += 1
        counts = {"failure": 0, "error": 0, "skipped": 0, "pass": 0}
        for case in suite:
            k, r = kind(case)
            counts[k] += 1
            assert case.name, f"{path}: a test case without a name"
            assert case.classname, f"{path}: {case.name!r} has no classname"
            assert case.time >= 0, f"{path}: {case.name!r} time {case.time}"
            if k == "failure":
                assert MESSAGE.match(r.message) or \
                    r.message.startswith("over budget"), \
                    f"{path}: {case.name!r}: message {r.message!r}"
                assert r.text and case.name.split(" [")[0] in r.text, \
                    f"{path}: {case.name!r}: failure text {r.text!r}"
            seen[case.name] = (k, r.message if r is not None else None)
        total = sum(counts.values())
        assert suite.tests == total, f"{path}: tests={suite.tests}, {total}"
        assert suite.failures == counts["failure"], \
            f"{path}: failures={suite.failures}, {counts}"
        assert suite.errors == counts["error"], \
            f"{path}: errors={suite.errors}, {counts}"
        assert suite.skipped == counts["skipped"], \
            f"{path}: skipped={suite.skipped}, {counts}"
        assert suite.time >= 0
    assert nsuites == 1, f"{path}: {nsuites} suites"
    for want in wants:
        name, _, expect = want.partition("=")
        k, _, msg = expect.partition(":")
        assert name in seen, f"{path}: no test case {name!r} in {list(seen)}"
        assert seen[name][0] == k, f"{path}: {name!r} is {seen[name]}"
        if msg:
            assert seen[name][1] == msg, \
                f"{path}: {name!r} message {seen[name][1]!r}, want {msg!r}"
    print(f"{path}: {len(seen)} test cases read back")


if __name__ == "__main__":
    check(sys.argv[1], sys.argv[2:])
