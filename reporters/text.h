/*
 * text.h - text helpers shared by the reporters: strict UTF-8 decoding and
 * the human formatting of values, changes, p-values and verdict counts, so
 * that every format prints the same numbers the same way.
 */
#ifndef PG_REPORTERS_TEXT_H
#define PG_REPORTERS_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "reporters/format.h"
#include "util/buf.h"

/* What report_utf8_next() yields for a byte that starts no valid character. */
#define REPORT_UTF8_INVALID 0xFFFFFFFFu

/*
 * Decode the character at s (which must not point at the terminating NUL)
 * into *cp and return its length in bytes (1 to 4).  Overlong forms,
 * surrogates, code points above U+10FFFF and truncated sequences are
 * invalid: *cp is then REPORT_UTF8_INVALID and 1 byte is consumed.
 */
size_t report_utf8_next(const char *s, uint32_t *cp);

/* Append code point cp (a valid scalar value) as UTF-8. */
void report_utf8_put(struct pg_buf *b, uint32_t cp);

/* The largest n <= len such that s[0..n) ends on a character boundary. */
size_t report_utf8_cut(const char *s, size_t len);

/*
 * Append s to b as Markdown inline text that renders literally (the
 * Markdown report and its charts): every ASCII punctuation character is
 * backslash-escaped, control characters become spaces, invalid UTF-8
 * becomes U+FFFD; cut after about cap bytes with an ellipsis (0: no cap).
 */
void report_md_escape(struct pg_buf *b, const char *s, size_t cap);

/* s, or fallback when s is NULL or empty. */
const char *report_str(const char *s, const char *fallback);

/*
 * Append v in human units as `perfgate run` prints them (model/units.h):
 * "12.3 ms", "1.50 KiB", "1.60 Mitems/s".  Never an exponent; "n/a" for a
 * non-finite v (no value).
 */
void report_fmt_value(struct pg_buf *b, double v, const char *unit);

/*
 * A stress curve's value of stat k: a latency in time units, the error
 * rate as "1.25%", the throughput in req/s; "n/a" when not finite.
 */
void report_fmt_curve_value(struct pg_buf *b, double v,
                            enum report_curve_stat k);
/* "10.4 ms -> 12.1 ms" (arrow between), or the candidate's value alone
 * when the baseline lacks it. */
void report_fmt_curve_cell(struct pg_buf *b, const struct report_curve_point *p,
                           enum report_curve_stat k, const char *arrow);
/* "capacity 740 req/s -> 373 req/s; failure mode graceful -> crash" */
void report_fmt_curve_summary(struct pg_buf *b, const struct report_curve *c,
                              const char *arrow);

/* Append a fraction as a signed percentage: 0.123 -> "+12.3%". */
void report_fmt_pct(struct pg_buf *b, double frac);

/*
 * A CI wider than a factor of 2 either way of its centre, that is
 * (1 + ci_high) / (1 + ci_low) > 4 (wider than [-50%, +100%] around no
 * change), says nothing about the change: every human format shows "too
 * noisy to estimate" instead of numbers like [-99.4%, +9524.1%].  A
 * precise large change ([+700%, +1100%]) is shown as it is.
 */
#define REPORT_NOISY_RATIO 4.0

/* 1 when the row's CI is too wide to show (REPORT_NOISY_*). */
int report_row_too_noisy(const struct report_row *row);

/*
 * Append the row's change as the relative change of its value (see the
 * display convention in format.h), with the CI when with_ci is set:
 * "+12.3% [+9.8%, +14.9%]".  "n/a" when the row has no estimate, "too
 * noisy to estimate" when report_row_too_noisy().
 */
void report_fmt_change(struct pg_buf *b, const struct report_row *row,
                       int with_ci);

/*
 * Append what the row could have seen (its MDE at 90% power):
 * "could detect \u2265 3.1%", or "could detect nothing" when no change
 * could be detected (too few runs or pairs: the note says why).  Appends
 * nothing and returns 0 when the MDE is unknown (NAN); else returns 1.
 */
int report_fmt_mde(struct pg_buf *b, const struct report_row *row);

/* Append a p-value: "0.0004", "<0.0001", "n/a". */
void report_fmt_p(struct pg_buf *b, double p);

/* Append the first 12 characters of a commit SHA, or "none". */
void report_fmt_sha(struct pg_buf *b, const char *sha);

/*
 * Append the counts of the report in reading order, nonzero ones only:
 * "2 regressions, 1 over budget, 3 unchanged".  Rows over budget are
 * counted as such whatever their relative verdict.  "no rows" if empty.
 */
void report_fmt_counts(struct pg_buf *b, const struct report *r);

/* "pass", "fail" or "error" as report_exit_code() decides (0, 1, 3). */
const char *report_outcome(const struct report *r,
                           const struct report_opts *opts);

/*
 * Append a multi-line, plain-text account of one row (no trailing
 * newline): verdict, values with sample counts, change with CI and
 * threshold, p-values and test, budget, note and error.  Lines for data the
 * row does not have are left out.  Used where a format has room for text
 * (JUnit bodies, annotations); the caller escapes it.
 */
void report_fmt_details(struct pg_buf *b, const struct report *r,
                        const struct report_row *row);

/* Number of rows over budget (report_row_over_budget()). */
size_t report_count_over_budget(const struct report *r);

#endif
