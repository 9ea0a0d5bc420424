#include "gate/accept.h"
#include "util/error.h"
#include "util/mem.h"
#include "model/quantity.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ACCEPT_TRAILER "Perfgate-Accept:"
/* An acceptance of 100x or more is a typo, not a decision. */
#define ACCEPT_MAX_EFFECT 100.0
/* The shortest commit prefix in BENCHMARK@COMMIT: git's default abbrev. */
#define ACCEPT_MIN_PREFIX 7

void gate_accepts_init(struct gate_accepts *a)
{
	memset(a, 0, sizeof(*a));
}

void gate_accepts_release(struct gate_accepts *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->items[i].bench);
		free(a->items[i].metric);
		free(a->items[i].commit);
		free(a->items[i].reason);
	}
	free(a->items);
	for (i = 0; i < a->nalerts; i++) {
		free(a->alerts[i].bench);
		free(a->alerts[i].commit);
		free(a->alerts[i].by);
		free(a->alerts[i].reason);
	}
	free(a->alerts);
	gate_accepts_init(a);
}

static struct config_accept *add(struct gate_accepts *a)
{
	struct config_accept *c;

	a->items =
	        pg_grow_array(a->items, sizeof(*a->items), a->n + 1, &a->alloc);
	c = &a->items[a->n++];
	memset(c, 0, sizeof(*c));
	return c;
}

void gate_accepts_add(struct gate_accepts *a, const struct config_accept *src)
{
	struct config_accept *c = add(a);

	c->bench = pg_strdup(src->bench);
	c->metric = pg_strdup(src->metric);
	c->max_effect = src->max_effect;
	c->commit = pg_strdup_or_null(src->commit);
	c->reason = pg_strdup_or_null(src->reason);
}

/* Split off the next whitespace-separated word of *p. */
static char *next_word(char **p)
{
	char *w = *p, *end;

	while (isspace((unsigned char)*w))
		w++;
	if (!*w)
		return NULL;
	end = w;
	while (*end && !isspace((unsigned char)*end))
		end++;
	*p = *end ? end + 1 : end;
	*end = '\0';
	return w;
}

static int is_amount(const char *w)
{
	return (w[0] == '+' || isdigit((unsigned char)w[0])) &&
	       w[strlen(w) - 1] == '%';
}

void gate_accepts_add_alert(struct gate_accepts *a, const char *bench,
                            const char *commit, const char *by,
                            const char *reason)
{
	struct gate_alert_accept *x;

	a->alerts = pg_grow_array(a->alerts, sizeof(*a->alerts), a->nalerts + 1,
	                          &a->alerts_alloc);
	x = &a->alerts[a->nalerts++];
	x->bench = pg_strdup(bench);
	x->commit = pg_strdup(commit);
	x->by = pg_strdup_or_null(by);
	x->reason = pg_strdup_or_null(reason);
}

const struct gate_alert_accept *
gate_accepts_find_alert(const struct gate_accepts *a, const char *bench,
                        const char *sha)
{
	size_t i;

	for (i = 0; i < a->nalerts; i++)
		if (!strcmp(a->alerts[i].bench, bench) &&
		    !strncasecmp(sha, a->alerts[i].commit,
		                 strlen(a->alerts[i].commit)))
			return &a->alerts[i];
	return NULL;
}

/*
 * The '@' of BENCHMARK@COMMIT in word, or NULL when word is not one: the
 * last '@', after a non-empty name, before ACCEPT_MIN_PREFIX..40 hex
 * digits.
 */
static char *alert_at(char *word)
{
	char *at = strrchr(word, '@');
	size_t i, len;

	if (!at || at == word)
		return NULL;
	len = strlen(at + 1);
	if (len < ACCEPT_MIN_PREFIX || len > 40)
		return NULL;
	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)at[1 + i]))
			return NULL;
	return at;
}

/* line is the whole trailer; words is a copy that gets split in place. */
static int parse_line(struct gate_accepts *a, const char *line, char *words,
                      const char *sha)
{
	char *p = words + strlen(ACCEPT_TRAILER);
	char *bench = next_word(&p), *metric, *amount, *at;
	struct config_accept *c;
	double effect;

	if (bench && (at = alert_at(bench))) {
		*at = '\0';
		while (isspace((unsigned char)*p))
			p++;
		gate_accepts_add_alert(a, bench, at + 1, sha, *p ? p : NULL);
		return 0;
	}
	metric = next_word(&p);

	amount = metric && is_amount(metric) ? metric : next_word(&p);
	if (amount == metric)
		metric = NULL;
	if (!bench || !amount || !is_amount(amount) ||
	    pg_fraction_parse(&effect, amount + (amount[0] == '+'),
	                      ACCEPT_MAX_EFFECT) < 0)
		return pg_error_input("commit %.12s: malformed line '%s': "
		                      "expected '%s BENCHMARK [METRIC] "
		                      "+N%%' or '%s BENCHMARK@COMMIT "
		                      "[REASON]'",
		                      sha ? sha : "?", line, ACCEPT_TRAILER,
		                      ACCEPT_TRAILER);
	while (isspace((unsigned char)*p))
		p++;
	c = add(a);
	c->bench = pg_strdup(bench);
	c->metric = pg_strdup(metric ? metric : "wall_time");
	c->max_effect = effect;
	c->commit = pg_strdup_or_null(sha);
	c->reason = *p ? pg_strdup(p) : NULL;
	return 0;
}

int gate_accepts_parse_message(struct gate_accepts *a, const char *message,
                               const char *sha)
{
	const char *line = message;
	int err = 0;

	while (line && *line && !err) {
		const char *eol = strchr(line, '\n');
		size_t len = eol ? (size_t)(eol - line) : strlen(line);

		if (!strncasecmp(line, ACCEPT_TRAILER,
		                 strlen(ACCEPT_TRAILER))) {
			char *copy = pg_strndup(line, len);
			char *words = pg_strdup(copy);

			err = parse_line(a, copy, words, sha);
			free(words);
			free(copy);
		}
		line = eol ? eol + 1 : NULL;
	}
	return err;
}

const struct config_accept *gate_accepts_find(const struct gate_accepts *a,
                                              const char *bench,
                                              const char *metric, double effect)
{
	const struct config_accept *best = NULL;
	size_t i;

	for (i = 0; i < a->n; i++) {
		const struct config_accept *c = &a->items[i];

		if (strcmp(c->bench, bench) || strcmp(c->metric, metric) ||
		    effect > c->max_effect)
			continue;
		if (!best || c->max_effect > best->max_effect)
			best = c;
	}
	return best;
}
