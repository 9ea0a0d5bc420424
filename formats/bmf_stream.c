/*
 * bmf in one pass (formats/internal.h fmt_bmf_stream()).
 *
 * A bmf file of many small benchmarks is mostly names: about 45 bytes a
 * benchmark, which became about 300 bytes of cJSON tree and as much again
 * of model (hardening #18, finding 8: 17x the file's size).  This reader
 * reads the file a window at a time (FMT_BMF_WINDOW bytes), walks it with
 * util/jscan.h, fills one struct result_bench at a time and spools it
 * (model/result_spool.h): memory holds the spool, the window and the
 * largest benchmark.  A benchmark the window cuts is read again from its
 * start once more of the file is in: a benchmark is only spooled when
 * its closing brace was read, so a cut can only end in a decline.
 *
 * It reads exactly what bmf_parse() reads from the tree, the same
 * benchmarks in the same order, or declines: on anything it is not sure
 * of (an error, a shape that is not bmf's, a key twice, an escape cJSON
 * reads its own way), the spool is rewound and the tree parser reads the
 * file, which gives the same result or the error message.
 */
#include "formats/formats.h"
#include "formats/internal.h"
#include "model/result_spool.h"
#include "util/cancel.h"
#include "util/jscan.h"
#include "util/mem.h"
#include "util/printable.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define DECLINE PG_JSCAN_DECLINE
/*
 * A decline this close to the end of the window may be the window's end
 * rather than the document's: the scanner looks at most this far ahead
 * (a number of 63 characters, "\uXXXX", a literal) before it declines.
 */
#define LOOKAHEAD 128

/*
 * The top-level keys whose combinations the other JSON formats' detectors
 * (the *_detect() functions of formats/) look for, and the combinations:
 * with "auto", a document that has one is left to the tree path, which
 * may find it ambiguous.  The other detectors (autocannon, k6, hyperfine,
 * jmh) need a measure bmf does not know or a value that is not an object,
 * which this reader declines anyway.
 */
static const char *const marker_keys[] = {
        "perfgate_wrk", "iters",       "times",  "context", "benchmarks",
        "machine_info", "commit_info", "schema", "runs",    NULL};
static const unsigned ambiguous[] = {
        1u << 0, /* wrk: perfgate_wrk */
        1u << 1 | 1u << 2, /* criterion: iters, times */
        1u << 3 | 1u << 4, /* google-benchmark: context, benchmarks */
        1u << 4 | 1u << 5, /* pytest-benchmark: benchmarks, machine_info */
        1u << 4 | 1u << 6, /* ... or benchmarks, commit_info */
        1u << 7 | 1u << 8, /* perfgate: schema, runs */
};

struct bmf_stream {
	struct pg_jscan js;
	int fd; /* the file; -1 when the text is all there is */
	int eof;
	size_t window; /* read this much at a time, at least */
	struct pg_buf win; /* the unread part of the file that is in */
	struct fmt_ctx ctx;
};

/* Record name in *seen when it is one of marker_keys. */
static void note_marker(const char *name, unsigned *seen)
{
	size_t i;

	for (i = 0; marker_keys[i]; i++)
		if (!strcmp(name, marker_keys[i]))
			*seen |= 1u << i;
}

/* 1 when the keys seen could make another detector match too. */
static int could_be_other(unsigned seen)
{
	size_t i;

	for (i = 0; i < sizeof(ambiguous) / sizeof(ambiguous[0]); i++)
		if ((seen & ambiguous[i]) == ambiguous[i])
			return 1;
	return 0;
}

/*
 * After a decline at st->js.p: when that may be the window's end, keep
 * the text from `from` on, read more of the file after it and put the
 * scanner back at from.  1: try again; 0: the decline is the document's.
 */
static int more(struct bmf_stream *st, const char *from)
{
	size_t keep, want;
	ssize_t n;

	if (st->fd < 0 || st->eof || st->js.p + LOOKAHEAD < st->js.end)
		return 0;
	keep = (size_t)(st->js.end - from);
	memmove(st->win.s, from, keep);
	st->win.len = keep;
	/* a benchmark longer than the window: double it */
	want = keep > st->window ? keep : st->window;
	pg_buf_grow(&st->win, want);
	do
		n = read(st->fd, st->win.s + keep, want);
	while (n < 0 && errno == EINTR && !pg_cancel_signal);
	if (n <= 0) /* the end, or an error the tree parser will report */
		st->eof = 1;
	else
		st->win.len += (size_t)n;
	st->win.s[st->win.len] = '\0';
	st->js.p = st->win.s;
	st->js.end = st->win.s + st->win.len;
	return n > 0;
}

/* {"value": v, "lower_value": l, "upper_value": u, ...} into *v. */
static int measure_value(struct bmf_stream *st, double *v)
{
	static const char *const keys[] = {"value", "lower_value",
	                                   "upper_value", NULL};
	unsigned seen = 0;
	int first = 1, k, dup, i;
	double x;

	if (pg_jscan_expect(&st->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&st->js, &first)) == 0) {
		i = pg_jscan_known_key(&st->js, keys, &seen, &dup);
		if (i < 0) {
			if (pg_jscan_skip_value(&st->js))
				return DECLINE;
			continue;
		}
		/* fmt_get_number(): a number or an error */
		if (dup || !pg_jscan_is_number_start(pg_jscan_peek(&st->js)) ||
		    pg_jscan_number(&st->js, &x))
			return DECLINE;
		if (i == 0)
			*v = x;
	}
	return k > 0 || !(seen & 1) ? DECLINE : 0;
}

/* One benchmark's measures into b, as add_measure() in bmf.c. */
static int measures(struct bmf_stream *st, struct result_bench *b)
{
	int first = 1, k;

	if (pg_jscan_expect(&st->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&st->js, &first)) == 0) {
		const struct fmt_unit *u = fmt_bmf_measure(st->js.key.s);
		struct result_metric *m;
		double v = 0;

		if (!u || result_metric_find(b, st->js.key.s) ||
		    pg_jscan_peek(&st->js) != '{')
			return DECLINE;
		m = result_metric_get(b, st->js.key.s, u->unit, u->direction);
		m->aggregate = 1;
		if (measure_value(st, &v) || fmt_push(&st->ctx, m, v, u->scale))
			return DECLINE;
	}
	return k > 0 || !b->nmetrics ? DECLINE : 0;
}

/*
 * One benchmark, its name in st->js.key, spooled.  DECLINE, or a negative
 * error the tree parser would not give (an interrupt, an internal error).
 */
static int bench(struct bmf_stream *st, struct result_spool *out)
{
	struct result_bench b;
	const char *name = st->js.key.s;
	int err;

	if (!*name || !pg_utf8_valid(name) || strlen(name) != st->js.key.len ||
	    pg_jscan_peek(&st->js) != '{')
		return DECLINE;
	memset(&b, 0, sizeof(b));
	b.name = pg_strdup(name);
	err = measures(st, &b);
	if (!err)
		err = formats_validate_bench(&b, st->ctx.source) < 0 ? DECLINE
		                                                     : 0;
	if (!err) {
		err = result_spool_add(out, &b);
		/* a duplicate, or a read-back the reader refuses: the tree
		 * parser says which */
		if (err > 0 || err == PG_EINPUT)
			err = DECLINE;
	}
	result_bench_release(&b);
	return err;
}

/* The opening brace, after whitespace. */
static int opening(struct bmf_stream *st)
{
	const char *from;
	int err;

	do {
		from = st->js.p;
		pg_jscan_ws(&st->js);
		err = pg_jscan_expect(&st->js, '{');
	} while (err && more(st, from));
	return err;
}

/* Nothing but whitespace after the closing brace. */
static int closing(struct bmf_stream *st)
{
	for (;;) {
		pg_jscan_ws(&st->js);
		if (st->js.p != st->js.end)
			return DECLINE;
		if (!more(st, st->js.p))
			return 0;
	}
}

static int document(struct bmf_stream *st, struct result_spool *out,
                    int detecting)
{
	unsigned seen = 0;
	int first = 1, k, err, was_first;
	const char *from;

	if (opening(st))
		return DECLINE;
	for (;;) {
		/* a file of a million benchmarks must not hold a signal */
		if (pg_cancel_signal)
			return pg_cancel_check();
		from = st->js.p;
		was_first = first;
		k = pg_jscan_next_member(&st->js, &first);
		if (k == 0) /* before bench() reads other keys */
			note_marker(st->js.key.s, &seen);
		err = k > 0 ? DECLINE : k == 0 ? bench(st, out) : 0;
		if (err == DECLINE && more(st, from)) {
			first = was_first; /* the same member again */
			continue;
		}
		if (err)
			return err;
		if (k < 0)
			break;
	}
	if (first || (detecting && could_be_other(seen)))
		return DECLINE;
	return closing(st);
}

/* The text that st->js reads (or reads through st->fd) into out. */
static int stream(struct bmf_stream *st, const char *source,
                  struct result_spool *out, int detecting)
{
	struct result_spool_mark mark;
	int err;

	fmt_ctx_init(&st->ctx, source, "$");
	result_spool_mark(out, &mark);
	err = document(st, out, detecting);
	if (err)
		result_spool_rewind(out, &mark);
	/* the scanner left an array early for a signal */
	if (err > 0 && (st->js.cancelled || pg_cancel_signal))
		err = pg_cancel_check();
	pg_jscan_release(&st->js);
	pg_buf_release(&st->win);
	return err;
}

int fmt_bmf_stream_text(const char *text, size_t len, const char *source,
                        struct result_spool *out, int detecting)
{
	struct bmf_stream st;

	memset(&st, 0, sizeof(st));
	st.fd = -1;
	pg_buf_init(&st.win);
	pg_jscan_init(&st.js, text, len);
	return stream(&st, source, out, detecting);
}

int fmt_bmf_stream_window(const char *path, struct result_spool *out,
                          int detecting, size_t window)
{
	struct bmf_stream st;
	struct stat sb;
	int err;

	/* not a FIFO or a device: opening one could block, or eat its data */
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return DECLINE;
	memset(&st, 0, sizeof(st));
	st.fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (st.fd < 0)
		return DECLINE;
	if (fstat(st.fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(st.fd);
		return DECLINE;
	}
	st.window = window ? window : 1;
	pg_buf_init(&st.win);
	pg_jscan_init(&st.js, st.win.s, 0);
	err = stream(&st, path, out, detecting);
	close(st.fd);
	return err;
}

int fmt_bmf_stream(const char *path, struct result_spool *out, int detecting)
{
	return fmt_bmf_stream_window(path, out, detecting, FMT_BMF_WINDOW);
}
