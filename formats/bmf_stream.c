/*
 * bmf in one pass (formats/internal.h fmt_bmf_stream()).
 *
 * A bmf file of many small benchmarks is mostly names: about 45 bytes a
 * benchmark, which became about 300 bytes of cJSON tree and as much again
 * of model (hardening #18, finding 8: 17x the file's size).  This reader
 * maps the file, walks it with util/jscan.h, fills one struct
 * result_bench at a time and spools it (model/result_spool.h), and gives
 * the pages it has read back to the kernel as it goes: memory holds the
 * spool and about RELEASE_BYTES of the file.
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

#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define DECLINE PG_JSCAN_DECLINE
/* Give the pages read back to the kernel every so many bytes. */
#define RELEASE_BYTES (4u << 20)

/*
 * The top-level keys that the other JSON formats' detectors (the
 * *_detect() functions of formats/) look for: with "auto", a bmf-shaped
 * document that has one is left to the tree path, which may find it
 * ambiguous.
 */
static const char *const other_markers[] = {
        "benchmarks",   "commit_info", "context",      "iters",   "latency",
        "machine_info", "metrics",     "requests",     "results", "runs",
        "schema",       "times",       "perfgate_wrk", NULL};

struct bmf_stream {
	struct pg_jscan js;
	const char *base; /* the text */
	size_t released; /* bytes of it given back so far */
	long page; /* the page size when base is a mapping of the file, or 0 */
	struct fmt_ctx ctx;
};

static int is_marker(const char *name)
{
	size_t i;

	for (i = 0; other_markers[i]; i++)
		if (!strcmp(name, other_markers[i]))
			return 1;
	return 0;
}

/* The pages before the one being read go back to the kernel. */
static void release_read(struct bmf_stream *st)
{
	size_t at = (size_t)(st->js.p - st->base), upto;

	if (!st->page) /* not a mapping: the memory is the caller's */
		return;
	upto = (at / (size_t)st->page) * (size_t)st->page;
	if (upto >= st->released + RELEASE_BYTES) {
		madvise((char *)st->base + st->released, upto - st->released,
		        MADV_DONTNEED);
		st->released = upto;
	}
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

/* One benchmark, its name in st->js.key, spooled. */
static int bench(struct bmf_stream *st, struct result_spool *out, int detecting)
{
	struct result_bench b;
	const char *name = st->js.key.s;
	int err;

	if (!*name || !pg_utf8_valid(name) || strlen(name) != st->js.key.len ||
	    (detecting && is_marker(name)) || result_spool_has(out, name) ||
	    pg_jscan_peek(&st->js) != '{')
		return DECLINE;
	memset(&b, 0, sizeof(b));
	b.name = pg_strdup(name);
	err = measures(st, &b);
	if (!err)
		err = formats_validate_bench(&b, st->ctx.source) < 0 ? DECLINE
		                                                     : 0;
	if (!err && (err = result_spool_add(out, &b)) != 0) {
		if (err == PG_ERUNTIME) /* interrupted while read back */
			st->js.cancelled = 1;
		err = DECLINE;
	}
	result_bench_release(&b);
	return err;
}

static int document(struct bmf_stream *st, struct result_spool *out,
                    int detecting)
{
	int first = 1, k;

	pg_jscan_ws(&st->js);
	if (pg_jscan_expect(&st->js, '{'))
		return DECLINE;
	while ((k = pg_jscan_next_member(&st->js, &first)) == 0) {
		/* a file of a million benchmarks must not hold a signal */
		if (pg_cancel_signal) {
			st->js.cancelled = 1;
			return DECLINE;
		}
		if (bench(st, out, detecting))
			return DECLINE;
		release_read(st);
	}
	if (k > 0 || first)
		return DECLINE;
	pg_jscan_ws(&st->js);
	return st->js.p == st->js.end ? 0 : DECLINE;
}

/* text[0..len) into out; mapped: give the pages read back as it goes. */
static int stream(const char *text, size_t len, int mapped, const char *source,
                  struct result_spool *out, int detecting)
{
	struct result_spool_mark mark;
	struct bmf_stream st;
	int err;

	memset(&st, 0, sizeof(st));
	pg_jscan_init(&st.js, text, len);
	st.base = text;
	st.page = mapped ? sysconf(_SC_PAGESIZE) : 0;
	fmt_ctx_init(&st.ctx, source, "$");
	result_spool_mark(out, &mark);
	err = document(&st, out, detecting);
	if (err)
		result_spool_rewind(out, &mark);
	if (st.js.cancelled)
		err = pg_cancel_check();
	pg_jscan_release(&st.js);
	return err;
}

int fmt_bmf_stream_text(const char *text, size_t len, const char *source,
                        struct result_spool *out, int detecting)
{
	return stream(text, len, 0, source, out, detecting);
}

int fmt_bmf_stream(const char *path, struct result_spool *out, int detecting)
{
	struct stat sb;
	void *map;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return DECLINE;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0) {
		close(fd);
		return DECLINE;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return DECLINE;
	madvise(map, (size_t)sb.st_size, MADV_SEQUENTIAL);
	err = stream(map, (size_t)sb.st_size, 1, path, out, detecting);
	munmap(map, (size_t)sb.st_size);
	return err;
}
