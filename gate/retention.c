/* Which runs gc keeps raw; see gate/retention.h. */
#include "gate/retention.h"
#include "gate/accept.h"
#include "util/error.h"
#include "util/mem.h"
#include "util/strmap.h"

#include <stdlib.h>
#include <string.h>

struct walk {
	struct store *s;
	const struct gate_retention_opts *o;
	struct gate_retention *r;
	struct gate_retention_branch *b;
	struct pg_strmap seen; /* commits walked, keys in seen_keys */
	char **seen_keys;
	size_t nseen, seen_alloc;
};

static void add_str(char ***v, size_t *n, size_t *alloc, const char *s)
{
	*v = pg_grow_array(*v, sizeof(**v), *n + 1, alloc);
	(*v)[(*n)++] = pg_strdup(s);
}

/* Protect what the Perfgate-Accept lines of c name. */
static void scan_accepts(struct gate_retention *r, const struct store_commit *c)
{
	struct gate_accepts a;
	size_t i;

	if (!c->message || !strstr(c->message, "Perfgate-Accept"))
		return;
	gate_accepts_init(&a);
	/* a malformed line is the gate's to report; gc keeps the commit */
	if (gate_accepts_parse_message(&a, c->message, c->sha) < 0)
		pg_error_clear();
	for (i = 0; i < a.nalerts; i++)
		add_str(&r->protect, &r->nprotect, &r->protect_alloc,
		        a.alerts[i].commit);
	add_str(&r->protect, &r->nprotect, &r->protect_alloc, c->sha);
	gate_accepts_release(&a);
}

static int visit(const struct store_commit *c, void *payload)
{
	struct walk *w = payload;
	struct gate_retention_branch *b = w->b;
	int has, err, recent;
	char *key;

	if ((err = store_note_exists(w->s, c->sha, &has)) < 0)
		return err;
	recent = w->r->cutoff && c->time >= w->r->cutoff;
	if (has) {
		add_str(&b->shas, &b->n, &b->alloc, c->sha);
		if (b->n <= w->o->keep_commits || recent) {
			b->kept++;
			add_str(&w->r->keep, &w->r->nkeep, &w->r->keep_alloc,
			        c->sha);
		}
	}
	key = pg_strdup(c->sha);
	if (!pg_strmap_add(&w->seen, key, 0, NULL)) {
		/* another branch walked here: its trailers are scanned */
		free(key);
		return 0;
	}
	w->seen_keys = pg_grow_array(w->seen_keys, sizeof(char *), w->nseen + 1,
	                             &w->seen_alloc);
	w->seen_keys[w->nseen++] = key;
	scan_accepts(w->r, c);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort r->keep and drop duplicates. */
static void sort_keep(struct gate_retention *r)
{
	size_t i, k = 0;

	if (!r->nkeep)
		return;
	qsort(r->keep, r->nkeep, sizeof(*r->keep), cmp_str);
	for (i = 0; i < r->nkeep; i++) {
		if (k && !strcmp(r->keep[k - 1], r->keep[i]))
			free(r->keep[i]);
		else
			r->keep[k++] = r->keep[i];
	}
	r->nkeep = k;
}

int gate_retention_plan(struct gate_retention *r, struct store *s,
                        const struct gate_retention_opts *o)
{
	struct walk w = {s, o, r, NULL, PG_STRMAP_INIT, NULL, 0, 0};
	struct store_branch *br = NULL;
	size_t nbr = 0, i;
	int err;

	memset(r, 0, sizeof(*r));
	if (o->keep_days > 0)
		r->cutoff = o->now - (long long)(o->keep_days * 86400.0);
	for (i = 0; o->cfg && i < o->cfg->naccepts; i++)
		if (o->cfg->accepts[i].commit)
			add_str(&r->protect, &r->nprotect, &r->protect_alloc,
			        o->cfg->accepts[i].commit);
	if ((err = store_branches(s, &br, &nbr)) < 0)
		goto out;
	r->branches = pg_calloc(nbr + 1, sizeof(*r->branches));
	for (i = 0; i < nbr && err == 0; i++) {
		w.b = &r->branches[r->nbranches++];
		w.b->ref = br[i];
		br[i].name = NULL; /* moved */
		err = store_first_parents(s, w.b->ref.sha, 0, visit, &w, NULL,
		                          NULL);
	}
	sort_keep(r);
out:
	store_branches_free(br, nbr);
	for (i = 0; i < w.nseen; i++)
		free(w.seen_keys[i]);
	free(w.seen_keys);
	pg_strmap_release(&w.seen);
	return err;
}

static void free_strs(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void gate_retention_release(struct gate_retention *r)
{
	size_t i;

	for (i = 0; r->branches && i < r->nbranches; i++) {
		free(r->branches[i].ref.name);
		free_strs(r->branches[i].shas, r->branches[i].n);
	}
	free(r->branches);
	free_strs(r->keep, r->nkeep);
	free_strs(r->protect, r->nprotect);
	free(r->order); /* its strings belong to the branches */
	memset(r, 0, sizeof(*r));
}

void gate_retention_gc_plan(struct gate_retention *r, struct store_gc_plan *p,
                            int apply)
{
	size_t i, j, k = 0, total = 0;

	for (i = 0; i < r->nbranches; i++)
		total += r->branches[i].n;
	free(r->order);
	/* borrowed from the branches; oldest first, as notes are written */
	r->order = pg_calloc(total + 1, sizeof(*r->order));
	for (i = 0; i < r->nbranches; i++)
		for (j = r->branches[i].n; j > 0; j--)
			r->order[k++] = r->branches[i].shas[j - 1];
	r->norder = k;
	memset(p, 0, sizeof(*p));
	p->order = (const char *const *)r->order;
	p->norder = r->norder;
	p->keep = (const char *const *)r->keep;
	p->nkeep = r->nkeep;
	p->protect = (const char *const *)r->protect;
	p->nprotect = r->nprotect;
	p->cutoff = r->cutoff;
	p->apply = apply;
}
