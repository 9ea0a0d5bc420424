/* Folded stacks from callgrind's call edges: see flame.h. */
#include "runner/flame.h"
#include "util/buf.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

void runner_flame_init(struct runner_flame *f)
{
	memset(f, 0, sizeof(*f));
}

void runner_flame_release(struct runner_flame *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->v[i].stack);
	free(f->v);
	runner_flame_init(f);
}

/* The walk's state: edges sorted by caller, the path so far. */
struct fold {
	struct runner_flame *out;
	const struct runner_cg_profile *p;
	struct runner_cg_edge *edges; /* sorted by from, merged */
	size_t nedges;
	size_t *first; /* per function: its first edge, or nedges */
	size_t path[PG_FLAME_MAX_DEPTH];
	size_t depth;
	double min_ir;
};

static int edge_cmp(const void *a, const void *b)
{
	const struct runner_cg_edge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

static void emit(struct fold *w, double ir)
{
	struct pg_buf b = PG_BUF_INIT;
	const char *c;
	size_t i;

	for (i = 0; i < w->depth; i++) {
		if (i)
			pg_buf_addch(&b, ';');
		/* ';' separates frames: keep it out of names */
		for (c = w->p->fns[w->path[i]].name; *c; c++)
			pg_buf_addch(&b, *c == ';' ? ':' : *c);
	}
	w->out->v = pg_grow_array(w->out->v, sizeof(*w->out->v), w->out->n + 1,
	                          &w->out->alloc);
	w->out->v[w->out->n].stack = pg_buf_detach(&b, NULL);
	w->out->v[w->out->n++].ir = ir;
}

static int on_path(const struct fold *w, size_t fn)
{
	size_t i;

	for (i = 0; i < w->depth; i++)
		if (w->path[i] == fn)
			return 1;
	return 0;
}

/* fn at the end of the path, with weight (its share of fn's costs). */
static void walk(struct fold *w, size_t fn, double weight)
{
	const struct runner_cg_fn *f = &w->p->fns[fn];
	size_t k;

	if (w->depth == PG_FLAME_MAX_DEPTH || on_path(w, fn) ||
	    f->incl * weight < w->min_ir || f->incl <= 0)
		return;
	w->path[w->depth++] = fn;
	if (f->self * weight > 0)
		emit(w, f->self * weight);
	for (k = w->first[fn]; k < w->nedges && w->edges[k].from == fn; k++) {
		const struct runner_cg_fn *to = &w->p->fns[w->edges[k].to];

		if (to->incl > 0)
			walk(w, w->edges[k].to,
			     weight * w->edges[k].ir / to->incl);
	}
	w->depth--;
}

static int stack_cmp(const void *a, const void *b)
{
	const struct runner_flame_stack *x = a, *y = b;

	return strcmp(x->stack, y->stack);
}

/* Sorted, duplicate edges merged; first[] and called[] filled. */
static void index_edges(struct fold *w, char *called)
{
	size_t i, n = 0;

	w->edges = pg_malloc((w->p->nedges + 1) * sizeof(*w->edges));
	memcpy(w->edges, w->p->edges, w->p->nedges * sizeof(*w->edges));
	qsort(w->edges, w->p->nedges, sizeof(*w->edges), edge_cmp);
	for (i = 0; i < w->p->nedges; i++) {
		if (n && w->edges[n - 1].from == w->edges[i].from &&
		    w->edges[n - 1].to == w->edges[i].to)
			w->edges[n - 1].ir += w->edges[i].ir;
		else
			w->edges[n++] = w->edges[i];
	}
	w->nedges = n;
	w->first = pg_malloc((w->p->n + 1) * sizeof(*w->first));
	for (i = 0; i < w->p->n; i++)
		w->first[i] = n;
	for (i = n; i-- > 0;) {
		w->first[w->edges[i].from] = i;
		called[w->edges[i].to] = 1;
	}
}

void runner_flame_fold(struct runner_flame *f,
                       const struct runner_cg_profile *p, double min_ir)
{
	struct fold w;
	char *called = pg_calloc(p->n + 1, 1);
	size_t i;

	memset(&w, 0, sizeof(w));
	w.out = f;
	w.p = p;
	w.min_ir = min_ir;
	index_edges(&w, called);
	for (i = 0; i < p->n; i++)
		if (!called[i])
			walk(&w, i, 1);
	if (f->n)
		qsort(f->v, f->n, sizeof(*f->v), stack_cmp);
	free(called);
	free(w.edges);
	free(w.first);
}
