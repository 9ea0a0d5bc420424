/*
 * perfgate stat FILE_A FILE_B: compare two plain sample files (one number
 * per line) with the statistics engine, ministat/benchstat style, without
 * git.  The exit status follows the gate: 1 for a regression.
 */
#include "cmd/cmd.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/compare.h"
#include "stats/verdict.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/json.h"
#include "util/mem.h"

const char cmd_stat_usage[] =
        "usage: perfgate stat [options] FILE_A FILE_B\n"
        "\n"
        "Compare two sample files: FILE_A is the baseline, FILE_B the "
        "candidate.\nEach holds one positive number per line (blank lines "
        "and lines starting\nwith '#' are skipped), in measurement order.  "
        "The test is one-sided\ntowards \"worse\": Mann-Whitney U, or with "
        "--paired the Wilcoxon signed-rank\ntest on ln(b/a); the effect is "
        "the Hodges-Lehmann shift exp(HL) - 1 with\na distribution-free "
        "confidence interval.\n"
        "\n"
        "Options:\n"
        "  --paired             pair the files line by line (same length)\n"
        "  --threshold X        practical threshold theta, a fraction or a\n"
        "                       percentage (default 0.05, 0.02 with "
        "--paired)\n"
        "  --alpha X            significance level (default 0.05)\n"
        "  --confidence X       level of the effect's CI (default 0.99)\n"
        "  --lower-is-better    larger values are worse (default: times)\n"
        "  --higher-is-better   smaller values are worse (throughput)\n"
        "  --welch              Welch's t-test on the logs instead (paired:\n"
        "                       one-sample t on ln(b/a))\n"
        "  --fail-on-inconclusive  exit 1 for inconclusive too\n"
        "  --json               print a JSON object instead of the summary\n"
        "\n"
        "Verdicts: regression (adjusted p < alpha and effect >= theta),\n"
        "improvement (the mirror image), unchanged (the CI lies inside\n"
        "+-theta), inconclusive (anything else, with the reason).\n";

struct samples {
	const char *path;
	double *v;
	size_t *line;
	size_t n, alloc, line_alloc;
};

static void samples_release(struct samples *s)
{
	free(s->v);
	free(s->line);
}

static int parse_line(struct samples *s, char *p, size_t lineno)
{
	char *end;
	double v;

	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	end = p + strlen(p);
	while (end > p &&
	       (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
		*--end = '\0';
	if (!*p || *p == '#')
		return 0;
	v = strtod(p, &end);
	if (end == p || *end)
		return pg_error_input("'%s' line %zu: '%s' is not a number",
		                      s->path, lineno, p);
	if (!isfinite(v))
		return pg_error_input("'%s' line %zu: '%s' is not a finite "
		                      "number",
		                      s->path, lineno, p);
	if (v < 0)
		return pg_error_input("'%s' line %zu: '%s' is negative",
		                      s->path, lineno, p);
	if (v == 0)
		return pg_error_input("'%s' line %zu: '%s' is not positive "
		                      "(effects are ratios)",
		                      s->path, lineno, p);
	s->v = pg_grow_array(s->v, sizeof(*s->v), s->n + 1, &s->alloc);
	s->line = pg_grow_array(s->line, sizeof(*s->line), s->n + 1,
	                        &s->line_alloc);
	s->v[s->n] = v;
	s->line[s->n++] = lineno;
	return 0;
}

static int read_samples(struct samples *s, const char *path)
{
	struct pg_buf b = PG_BUF_INIT;
	char *p, *nl;
	size_t lineno = 0;
	int err;

	memset(s, 0, sizeof(*s));
	s->path = path;
	if ((err = pg_buf_read_file(&b, path)) < 0)
		return err;
	if (strlen(b.s) != b.len) {
		err = pg_error_input("'%s': not a text file (NUL byte)", path);
		goto out;
	}
	for (p = b.s; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		if ((err = parse_line(s, p, ++lineno)) < 0 || !nl)
			break;
	}
	if (!err && !s->n)
		err = pg_error_input("'%s': no samples (empty file)", path);
out:
	pg_buf_release(&b);
	return err;
}

static int parse_fraction(const char *opt, const char *arg, double *out)
{
	char *end;
	double v = strtod(arg, &end);

	if (end != arg && !strcmp(end, "%")) {
		v /= 100;
		end++;
	}
	if (end == arg || *end || !isfinite(v) || v < 0) {
		cmd_error("stat: %s: '%s' is not a non-negative number or "
		          "percentage",
		          opt, arg);
		return PG_EXIT_INPUT;
	}
	*out = v;
	return 0;
}

static int parse_level(const char *opt, const char *arg, double *out)
{
	if (cmd_parse_double("stat", opt, arg, out))
		return PG_EXIT_INPUT;
	if (!(*out > 0 && *out < 1)) {
		cmd_error("stat: %s: '%s' is not between 0 and 1", opt, arg);
		return PG_EXIT_INPUT;
	}
	return 0;
}

static void print_side(const char *label, const struct samples *s,
                       double median, size_t outliers)
{
	printf("%-10s %-24s n=%-5zu median %-12.6g outliers %zu\n", label,
	       s->path, s->n, median, outliers);
}

static void print_human(const struct stats_comparison *c,
                        const struct samples *a, const struct samples *b,
                        const struct stats_compare_opts *o,
                        enum stats_verdict v, const char *why)
{
	print_side("baseline", a, c->median_a, c->outliers_a);
	print_side("candidate", b, c->median_b, c->outliers_b);
	printf("test       %s (%s), one-sided, %s is better%s\n", c->test,
	       c->method, o->higher_is_better ? "higher" : "lower",
	       o->paired ? ", paired" : "");
	printf("change     %+.2f%% [%g%% CI %+.2f%%, %+.2f%%]  p=%.4g\n",
	       100 * c->estimate, 100 * c->confidence, 100 * c->ci_low,
	       100 * c->ci_high, c->p_value);
	printf("verdict    %s (threshold %.2f%%, alpha %g): %s\n",
	       stats_verdict_name(v), 100 * o->threshold, o->alpha, why);
}

static void json_num(struct pg_buf *j, const char *key, double v, int comma)
{
	pg_json_add_string(j, key);
	pg_buf_addstr(j, ": ");
	if (isfinite(v))
		pg_json_add_number(j, v);
	else
		pg_buf_addstr(j, "null");
	pg_buf_addstr(j, comma ? ",\n  " : "\n");
}

static void json_str(struct pg_buf *j, const char *key, const char *v)
{
	pg_json_add_string(j, key);
	pg_buf_addstr(j, ": ");
	pg_json_add_string(j, v);
	pg_buf_addstr(j, ",\n  ");
}

static void print_json(const struct stats_comparison *c,
                       const struct stats_compare_opts *o, enum stats_verdict v,
                       const char *why)
{
	struct pg_buf j = PG_BUF_INIT;

	pg_buf_addstr(&j, "{\n  ");
	json_str(&j, "test", c->test);
	json_str(&j, "method", c->method);
	json_num(&j, "n_a", (double)c->n_a, 1);
	json_num(&j, "n_b", (double)c->n_b, 1);
	json_num(&j, "p_value", c->p_value, 1);
	json_num(&j, "p_better", c->p_better, 1);
	json_num(&j, "estimate", c->estimate, 1);
	json_num(&j, "ci_low", c->ci_low, 1);
	json_num(&j, "ci_high", c->ci_high, 1);
	json_num(&j, "confidence", c->confidence, 1);
	json_str(&j, "verdict", stats_verdict_name(v));
	json_str(&j, "reason", why);
	json_num(&j, "median_a", c->median_a, 1);
	json_num(&j, "median_b", c->median_b, 1);
	json_num(&j, "threshold", o->threshold, 1);
	json_num(&j, "alpha", o->alpha, 1);
	json_str(&j, "direction",
	         o->higher_is_better ? "higher_is_better" : "lower_is_better");
	json_num(&j, "outliers_a", (double)c->outliers_a, 1);
	json_num(&j, "outliers_b", (double)c->outliers_b, 1);
	json_num(&j, "drift", c->drift, 0);
	pg_buf_addstr(&j, "}\n");
	fputs(j.s, stdout);
	pg_buf_release(&j);
}

enum {
	OPT_PAIRED = 256,
	OPT_THRESHOLD,
	OPT_ALPHA,
	OPT_CONFIDENCE,
	OPT_LOWER_IS_BETTER,
	OPT_HIGHER_IS_BETTER,
	OPT_WELCH,
	OPT_FAIL_ON_INCONCLUSIVE,
	OPT_JSON,
};

/* clang-format off */
static const struct option stat_options[] = {
	{"paired",               no_argument,       NULL, OPT_PAIRED},
	{"threshold",            required_argument, NULL, OPT_THRESHOLD},
	{"alpha",                required_argument, NULL, OPT_ALPHA},
	{"confidence",           required_argument, NULL, OPT_CONFIDENCE},
	{"lower-is-better",      no_argument,       NULL, OPT_LOWER_IS_BETTER},
	{"higher-is-better",     no_argument,       NULL, OPT_HIGHER_IS_BETTER},
	{"welch",                no_argument,       NULL, OPT_WELCH},
	{"fail-on-inconclusive", no_argument,       NULL, OPT_FAIL_ON_INCONCLUSIVE},
	{"json",                 no_argument,       NULL, OPT_JSON},
	{NULL, 0, NULL, 0},
};
/* clang-format on */

struct stat_args {
	struct stats_compare_opts o;
	int json, fail_inconclusive, threshold_set;
};

static int parse_args(struct stat_args *s, int argc, char **argv)
{
	int c, rc = 0;

	memset(s, 0, sizeof(*s));
	stats_compare_opts_init(&s->o, 0);
	opterr = 0;
	while (!rc &&
	       (c = getopt_long(argc, argv, ":", stat_options, NULL)) != -1) {
		switch (c) {
		case OPT_PAIRED:
			s->o.paired = 1;
			break;
		case OPT_THRESHOLD:
			rc = parse_fraction("--threshold", optarg,
			                    &s->o.threshold);
			s->threshold_set = 1;
			break;
		case OPT_ALPHA:
			rc = parse_level("--alpha", optarg, &s->o.alpha);
			break;
		case OPT_CONFIDENCE:
			rc = parse_level("--confidence", optarg,
			                 &s->o.confidence);
			break;
		case OPT_LOWER_IS_BETTER:
			s->o.higher_is_better = 0;
			break;
		case OPT_HIGHER_IS_BETTER:
			s->o.higher_is_better = 1;
			break;
		case OPT_WELCH:
			s->o.welch = 1;
			break;
		case OPT_FAIL_ON_INCONCLUSIVE:
			s->fail_inconclusive = 1;
			break;
		case OPT_JSON:
			s->json = 1;
			break;
		default:
			return cmd_bad_option("stat", argv, c);
		}
	}
	if (rc)
		return rc;
	if (argc - optind != 2) {
		cmd_error("stat: expected two files, FILE_A and FILE_B (see "
		          "'perfgate help stat')");
		return PG_EXIT_INPUT;
	}
	if (s->o.paired && !s->threshold_set)
		s->o.threshold = PG_DEFAULT_THRESHOLD_PAIRED;
	return 0;
}

static int check_pairs(const struct samples *a, const struct samples *b)
{
	const struct samples *l = a->n > b->n ? a : b, *sh = l == a ? b : a;

	if (a->n == b->n)
		return 0;
	return pg_error_input("--paired: '%s' line %zu: sample %zu has no "
	                      "pair ('%s' has %zu samples, '%s' has %zu)",
	                      l->path, l->line[sh->n], sh->n + 1, sh->path,
	                      sh->n, l->path, l->n);
}

int cmd_stat(int argc, char **argv)
{
	struct stat_args s;
	struct samples a, b;
	struct stats_comparison c;
	enum stats_verdict v;
	char why[256];
	int err, rc;

	if ((rc = parse_args(&s, argc, argv)))
		return rc;
	memset(&b, 0, sizeof(b));
	if ((err = read_samples(&a, argv[optind])) < 0 ||
	    (err = read_samples(&b, argv[optind + 1])) < 0 ||
	    (s.o.paired && (err = check_pairs(&a, &b)) < 0) ||
	    (err = stats_compare(&c, a.v, a.n, b.v, b.n, &s.o)) < 0) {
		rc = cmd_fail(err);
		goto out;
	}
	/* one comparison: nothing to adjust across */
	v = stats_classify(&c, c.p_value, c.p_better, &s.o, why, sizeof(why));
	if (s.json)
		print_json(&c, &s.o, v, why);
	else
		print_human(&c, &a, &b, &s.o, v, why);
	rc = v == STATS_REGRESSION ||
	                     (s.fail_inconclusive && v == STATS_INCONCLUSIVE)
	             ? PG_EXIT_REGRESSION
	             : PG_EXIT_PASS;
out:
	samples_release(&a);
	samples_release(&b);
	return rc;
}
