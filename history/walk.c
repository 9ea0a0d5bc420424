/* Reading notes on one thread, parsing on another; see history/walk.h. */
#include "history/walk.h"
#include "store/notes.h"
#include "util/error.h"
#include "util/mem.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Notes read ahead of the parser: enough to ride out uneven notes. */
#define PIPE_DEPTH 64
/*
 * A waiting thread is woken only when the queue has moved this far: a
 * wake-up per note cost a context switch per note.
 */
#define PIPE_WAKE (PIPE_DEPTH / 4)

struct item {
	struct store_commit commit; /* sha, dates, subject; see on_commit */
	char *text; /* the note, NULL when none */
	size_t len;
};

struct pipe {
	struct store *store;
	history_note_fn fn;
	void *payload;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct item ring[PIPE_DEPTH];
	size_t head, count;
	int done; /* the walk has ended: no more items */
	int parser_waits, reader_waits;
	int err; /* the callback failed: the walk stops */
	char *errmsg; /* its message: pg_error_last() is per thread */
	int threaded;
};

/* Parse one commit's note and call back; runs on the parsing thread. */
static int deliver(struct pipe *p, struct item *it)
{
	struct result_run *runs = NULL;
	char *warning = NULL;
	size_t n = 0;
	int err;

	err = it->text ? store_parse_note_runs(p->store, it->commit.sha,
	                                       it->text, it->len, &runs, &n,
	                                       &warning)
	               : 0;
	if (err == 0) /* else interrupted */
		err = p->fn(&it->commit, runs, n, warning, p->payload);
	result_runs_free(runs, n);
	free(warning);
	free(it->text);
	store_commit_release(&it->commit);
	return err;
}

static void *parser(void *arg)
{
	struct pipe *p = arg;
	struct item it;
	int err;

	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (!p->count && !p->done) {
			p->parser_waits = 1;
			pthread_cond_wait(&p->changed, &p->lock);
			p->parser_waits = 0;
		}
		if (!p->count) {
			pthread_mutex_unlock(&p->lock);
			break;
		}
		it = p->ring[p->head];
		p->head = (p->head + 1) % PIPE_DEPTH;
		p->count--;
		if (p->reader_waits && p->count <= PIPE_DEPTH - PIPE_WAKE)
			pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if ((err = deliver(p, &it)) < 0) {
			pthread_mutex_lock(&p->lock);
			p->err = err;
			p->errmsg = pg_strdup(pg_error_last());
			pthread_cond_broadcast(&p->changed);
			pthread_mutex_unlock(&p->lock);
			break;
		}
	}
	return NULL;
}

/* The walk callback, on the calling thread: read and queue. */
static int on_commit(const struct store_commit *c, void *payload)
{
	struct pipe *p = payload;
	struct item it;
	int err;

	memset(&it, 0, sizeof(it));
	memcpy(it.commit.sha, c->sha, sizeof(c->sha));
	memcpy(it.commit.short_sha, c->short_sha, sizeof(c->short_sha));
	memcpy(it.commit.first_parent, c->first_parent,
	       sizeof(c->first_parent));
	it.commit.subject = pg_strdup(c->subject ? c->subject : "");
	/* the whole message only where a reader needs it: acceptances */
	if (c->message && strstr(c->message, HISTORY_WALK_KEEP_MESSAGE))
		it.commit.message = pg_strdup(c->message);
	it.commit.time = c->time;
	it.commit.tz_minutes = c->tz_minutes;
	it.commit.nparents = c->nparents;
	if ((err = store_read_note(p->store, c->sha, &it.text, &it.len)) < 0) {
		store_commit_release(&it.commit);
		return err;
	}
	if (!p->threaded)
		return deliver(p, &it);
	pthread_mutex_lock(&p->lock);
	while (p->count == PIPE_DEPTH && !p->err) {
		p->reader_waits = 1;
		pthread_cond_wait(&p->changed, &p->lock);
		p->reader_waits = 0;
	}
	if (!p->err) {
		p->ring[(p->head + p->count) % PIPE_DEPTH] = it;
		p->count++;
		if (p->parser_waits && p->count >= PIPE_WAKE)
			pthread_cond_broadcast(&p->changed);
	}
	err = p->err;
	pthread_mutex_unlock(&p->lock);
	if (err < 0) {
		free(it.text);
		store_commit_release(&it.commit);
	}
	return err;
}

int history_walk(struct store *s, const char *from, size_t max,
                 history_note_fn fn, void *payload, enum store_walk_end *end,
                 char boundary[41])
{
	struct pipe p;
	pthread_t thread;
	int err;

	memset(&p, 0, sizeof(p));
	p.store = s;
	p.fn = fn;
	p.payload = payload;
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.changed, NULL);
	p.threaded = pthread_create(&thread, NULL, parser, &p) == 0;
	err = store_first_parents(s, from, max, on_commit, &p, end, boundary);
	if (p.threaded) {
		pthread_mutex_lock(&p.lock);
		p.done = 1;
		pthread_cond_broadcast(&p.changed);
		pthread_mutex_unlock(&p.lock);
		pthread_join(thread, NULL);
		/* the parser's error first: it made the walk stop */
		if (p.err < 0)
			err = pg_error_code(p.err, "%s", p.errmsg);
		free(p.errmsg);
	}
	/* items left after the parser failed */
	while (p.count) {
		free(p.ring[p.head].text);
		store_commit_release(&p.ring[p.head].commit);
		p.head = (p.head + 1) % PIPE_DEPTH;
		p.count--;
	}
	pthread_cond_destroy(&p.changed);
	pthread_mutex_destroy(&p.lock);
	return err;
}
