/* A run written out one benchmark at a time; see model/result_spool.h. */
#include "model/result_spool.h"
#include "model/result_fast.h"
#include "util/error.h"
#include "util/json.h"
#include "util/mem.h"
#include "util/printable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* What result_bench_to_json() writes before the name's JSON string. */
#define NAME_PREFIX "{\"name\":"
/* Grow the name set beyond this load, in tenths. */
#define LOAD_MAX_TENTHS 7
#define CAP_MIN 64

/*
 * The shortest document the readers take, around a benchmark or a run: a
 * benchmark is read back as the one benchmark of a minimal run.
 */
#define CHECK_RUN_HEAD                                                         \
	"{\"id\":\"00000000000000000000000000000000\",\"benchmarks\":["

void result_spool_init(struct result_spool *s)
{
	memset(s, 0, sizeof(*s));
	pg_buf_init(&s->text);
	pg_buf_init(&s->name);
	pg_buf_init(&s->check);
}

void result_spool_release(struct result_spool *s)
{
	pg_buf_release(&s->text);
	pg_buf_release(&s->name);
	pg_buf_release(&s->check);
	free(s->slots);
	result_spool_init(s);
}

/* FNV-1a, 64 bits, over a name's JSON string (quotes included). */
static uint64_t token_hash(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/* The length of the JSON string that starts at text[off] (its '"'). */
static size_t token_len(const struct pg_buf *text, size_t off)
{
	size_t i = off + 1;

	while (i < text->len && text->s[i] != '"')
		i += text->s[i] == '\\' ? 2 : 1;
	return i + 1 - off;
}

/* The slot where token (hash h) is, or the empty slot where it would go. */
static size_t probe(const struct result_spool *s, const char *token, size_t len,
                    uint64_t h)
{
	size_t mask = s->cap - 1, i = (size_t)h & mask;

	for (;; i = (i + 1) & mask) {
		size_t off = s->slots[i];

		if (!off)
			return i;
		off--;
		if (off + len <= s->text.len &&
		    !memcmp(s->text.s + off, token, len))
			return i;
	}
}

static void put(struct result_spool *s, size_t off)
{
	size_t len = token_len(&s->text, off);
	const char *token = s->text.s + off;

	s->slots[probe(s, token, len, token_hash(token, len))] = off + 1;
}

/* Make room for want names: rebuilt from the offsets below limit. */
static void rebuild(struct result_spool *s, size_t want, size_t limit)
{
	size_t *old = s->slots, oldcap = s->cap, i;

	s->cap = CAP_MIN;
	while (want * 10 > s->cap * LOAD_MAX_TENTHS)
		s->cap *= 2;
	s->slots = pg_calloc(s->cap, sizeof(*s->slots));
	for (i = 0; i < oldcap; i++)
		if (old[i] && old[i] - 1 < limit)
			put(s, old[i] - 1);
	free(old);
}

/* name as a JSON string in s->name; its slot. */
static size_t find(struct result_spool *s, const char *name)
{
	pg_buf_reset(&s->name);
	pg_json_add_string(&s->name, name);
	if (!s->cap)
		rebuild(s, 1, 0);
	return probe(s, s->name.s, s->name.len,
	             token_hash(s->name.s, s->name.len));
}

int result_spool_has(struct result_spool *s, const char *name)
{
	size_t slot = find(s, name); /* may allocate s->slots */

	return s->slots[slot] != 0;
}

/*
 * The benchmark JSON at text[start..] read back: in place by the fast
 * reader, or else as a run's only benchmark by the whole reader.
 */
static int read_back(struct result_spool *s, size_t start, const char *name)
{
	struct result_run *runs = NULL;
	struct result_bench b;
	size_t n = 0;
	int err;

	err = result_bench_parse_fast(&b, s->text.s + start,
	                              s->text.len - start);
	if (err <= 0)
		return err;
	pg_buf_reset(&s->check);
	pg_buf_addf(&s->check, RESULT_DOC_HEAD_FMT, RESULT_SCHEMA);
	pg_buf_addstr(&s->check, CHECK_RUN_HEAD);
	pg_buf_add(&s->check, s->text.s + start, s->text.len - start);
	pg_buf_addstr(&s->check, RESULT_RUN_TAIL RESULT_DOC_TAIL);
	err = result_doc_parse(&runs, &n, s->check.s, s->check.len,
	                       "the new run");
	result_runs_free(runs, n);
	if (err < 0 && err != PG_ERUNTIME)
		err = pg_error_wrap(PG_EINPUT,
		                    "refusing to store benchmark '%s' that "
		                    "perfgate could not read back",
		                    pg_printable(name));
	return err;
}

int result_spool_add(struct result_spool *s, const struct result_bench *b)
{
	struct result_spool_mark m;
	size_t slot = find(s, b->name), start;
	int err;

	if (s->slots[slot])
		return 1;
	result_spool_mark(s, &m);
	if (s->nbenches)
		pg_buf_addstr(&s->text, RESULT_BENCH_SEPARATOR);
	start = s->text.len;
	result_bench_to_json(b, &s->text);
	if ((err = read_back(s, start, b->name)) < 0) {
		result_spool_rewind(s, &m);
		return err;
	}
	if ((s->nbenches + 1) * 10 > s->cap * LOAD_MAX_TENTHS) {
		rebuild(s, s->nbenches + 1, s->text.len);
		slot = find(s, b->name);
	}
	start += strlen(NAME_PREFIX);
	if (s->text.len < start + s->name.len ||
	    memcmp(s->text.s + start, s->name.s, s->name.len)) {
		result_spool_rewind(s,
		                    &m); /* result_json.c changed its layout */
		return pg_error_runtime("internal error: benchmark '%s' is not "
		                        "where the spool expects its name",
		                        pg_printable(b->name));
	}
	s->slots[slot] = start + 1;
	s->nbenches++;
	return 0;
}

void result_spool_mark(const struct result_spool *s,
                       struct result_spool_mark *m)
{
	m->len = s->text.len;
	m->nbenches = s->nbenches;
}

void result_spool_rewind(struct result_spool *s,
                         const struct result_spool_mark *m)
{
	if (m->len >= s->text.len)
		return;
	if (m->len == 0) { /* nothing to keep: give the memory back too */
		result_spool_release(s);
		return;
	}
	s->text.len = m->len;
	s->text.s[m->len] = '\0';
	s->nbenches = m->nbenches;
	if (s->cap)
		rebuild(s, s->nbenches, m->len);
}

int result_spool_finish(struct result_spool *s, const struct result_run *run,
                        struct pg_buf *doc)
{
	struct pg_buf head = PG_BUF_INIT;
	struct result_run *back = NULL;
	size_t n = 0, tail;
	int err;

	pg_buf_addf(&head, RESULT_DOC_HEAD_FMT, RESULT_SCHEMA);
	result_run_head_to_json(run, &head);
	tail = head.len;
	pg_buf_addstr(&head, RESULT_RUN_TAIL RESULT_DOC_TAIL);
	err = result_doc_parse(&back, &n, head.s, head.len, "the new run");
	result_runs_free(back, n);
	if (err < 0) {
		pg_buf_release(&head);
		return err == PG_ERUNTIME
		               ? err
		               : pg_error_wrap(PG_EINPUT,
		                               "refusing to store a run that "
		                               "perfgate could not read back");
	}
	/* the head goes in front of the benchmarks, in place */
	pg_buf_grow(&s->text, head.len);
	memmove(s->text.s + tail, s->text.s, s->text.len + 1);
	memcpy(s->text.s, head.s, tail);
	s->text.len += tail;
	pg_buf_add(&s->text, head.s + tail, head.len - tail);
	pg_buf_release(&head);
	pg_buf_release(doc);
	*doc = s->text;
	pg_buf_init(&s->text);
	result_spool_release(s);
	return 0;
}
