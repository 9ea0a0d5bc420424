/* Per-function counts from callgrind's output files: see callgrind.h. */
#include "runner/callgrind.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Compressed ids count names; a larger one is a corrupt file. */
#define MAX_NAME_ID 100000000ul

void runner_cg_profile_init(struct runner_cg_profile *p)
{
	memset(p, 0, sizeof(*p));
}

void runner_cg_profile_release(struct runner_cg_profile *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->fns[i].object);
		free(p->fns[i].file);
		free(p->fns[i].name);
	}
	free(p->fns);
	free(p->slots);
	free(p->edges);
	runner_cg_profile_init(p);
}

static uint64_t hash_str(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return (h ^ 0xff) * 1099511628211ull; /* field separator */
}

static uint64_t key_hash(const char *object, const char *file, const char *name)
{
	return hash_str(
	        hash_str(hash_str(14695981039346656037ull, object), file),
	        name);
}

static int key_equal(const struct runner_cg_fn *f, const char *object,
                     const char *file, const char *name)
{
	return !strcmp(f->name, name) && !strcmp(f->file, file) &&
	       !strcmp(f->object, object);
}

/* The slot of the key: its entry's, or the empty one it would take. */
static size_t find_slot(const struct runner_cg_profile *p, const char *object,
                        const char *file, const char *name)
{
	size_t mask = p->nslots - 1;
	size_t i = (size_t)key_hash(object, file, name) & mask;

	while (p->slots[i] &&
	       !key_equal(&p->fns[p->slots[i] - 1], object, file, name))
		i = (i + 1) & mask;
	return i;
}

static void rehash(struct runner_cg_profile *p)
{
	size_t i;

	free(p->slots);
	p->nslots = p->nslots ? 2 * p->nslots : 256;
	p->slots = pg_calloc(p->nslots, sizeof(*p->slots));
	for (i = 0; i < p->n; i++)
		p->slots[find_slot(p, p->fns[i].object, p->fns[i].file,
		                   p->fns[i].name)] = i + 1;
}

const struct runner_cg_fn *runner_cg_find(const struct runner_cg_profile *p,
                                          const char *object, const char *file,
                                          const char *name)
{
	size_t s;

	if (!p->nslots)
		return NULL;
	s = find_slot(p, object, file, name);
	return p->slots[s] ? &p->fns[p->slots[s] - 1] : NULL;
}

/* The index of the key's function in p, added with zero counts if new. */
static size_t intern(struct runner_cg_profile *p, const char *object,
                     const char *file, const char *name)
{
	struct runner_cg_fn *f;
	size_t s;

	if (2 * (p->n + 1) > p->nslots)
		rehash(p);
	s = find_slot(p, object, file, name);
	if (p->slots[s])
		return p->slots[s] - 1;
	p->fns = pg_grow_array(p->fns, sizeof(*p->fns), p->n + 1, &p->alloc);
	f = &p->fns[p->n];
	memset(f, 0, sizeof(*f));
	f->object = pg_strdup(object);
	f->file = pg_strdup(file);
	f->name = pg_strdup(name);
	p->slots[s] = ++p->n;
	return p->n - 1;
}

/* Record a call's inclusive cost; repeated calls of one edge add up. */
static void add_edge(struct runner_cg_profile *p, size_t from, size_t to,
                     double ir)
{
	struct runner_cg_edge *e;

	if (p->nedges && p->edges[p->nedges - 1].from == from &&
	    p->edges[p->nedges - 1].to == to) {
		p->edges[p->nedges - 1].ir += ir;
		return;
	}
	p->edges = pg_grow_array(p->edges, sizeof(*p->edges), p->nedges + 1,
	                         &p->edges_alloc);
	e = &p->edges[p->nedges++];
	e->from = from;
	e->to = to;
	e->ir = ir;
}

/* One compressed-name table of one file: id -> name. */
struct names {
	char **v;
	size_t n, alloc;
};

static void names_release(struct names *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* The parser's state for one file. */
struct cgfile {
	struct runner_cg_profile *p;
	const char *what, *root;
	size_t lineno;
	struct names obs, fls, fns;
	const char *ob, *fl; /* current object and function file */
	const char *cob, *cfi, *cfn; /* the next call's target */
	long fn; /* current function's index, -1 before fn= */
	int in_call; /* the next cost line is a call's inclusive cost */
	long positions, ir; /* position columns; Ir's event column */
	double total;
	int have_total;
};

static int bad_line(const struct cgfile *f, const char *why)
{
	return pg_error_input("'%s': line %zu: %s", f->what, f->lineno, why);
}

/* Strip the root from an absolute path under it. */
static const char *strip_root(const struct cgfile *f, const char *path)
{
	size_t n = f->root ? strlen(f->root) : 0;

	while (n && f->root[n - 1] == '/') /* libgit2's workdir ends in '/' */
		n--;
	if (n && !strncmp(path, f->root, n) && path[n] == '/')
		return path + n + 1;
	return path;
}

/*
 * Resolve a compressed name "(id) name", "(id)" or a plain "name" through
 * table t into *out (borrowed from t).
 */
static int resolve(struct cgfile *f, struct names *t, const char *v,
                   const char **out)
{
	unsigned long id;
	char *end;

	errno = 0;
	id = *v == '(' ? strtoul(v + 1, &end, 10) : 0;
	if (*v != '(' || end == v + 1 || *end != ')' ||
	    (end[1] && end[1] != ' ')) {
		/* uncompressed ("(below main)" too): kept past the last id */
		t->v = pg_grow_array(t->v, sizeof(*t->v), t->n + 1, &t->alloc);
		t->v[t->n] = pg_strdup(strip_root(f, v));
		*out = t->v[t->n++];
		return 0;
	}
	if (errno || id > MAX_NAME_ID)
		return bad_line(f, "bad compressed name id");
	if (id >= t->n) {
		t->v = pg_grow_array(t->v, sizeof(*t->v), id + 1, &t->alloc);
		memset(t->v + t->n, 0, (id + 1 - t->n) * sizeof(*t->v));
		t->n = id + 1;
	}
	if (end[1] == ' ') {
		free(t->v[id]);
		t->v[id] = pg_strdup(strip_root(f, end + 2));
	}
	if (!t->v[id])
		return bad_line(f,
		                "compressed name used before it was defined");
	*out = t->v[id];
	return 0;
}

/*
 * The length of name without callgrind's recursion-level suffix:
 * --separate-recs (default 2) names deeper levels "depth'2".
 */
static size_t base_name_len(const char *name)
{
	size_t n = strlen(name), i = n;

	while (i && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	return i > 1 && i < n && name[i - 1] == '\'' ? i - 1 : n;
}

/* The function of (ob, fl, name) in the profile: its index. */
static size_t intern_name(struct cgfile *f, const char *ob, const char *fl,
                          const char *name)
{
	char *base = pg_strndup(name, base_name_len(name));
	size_t i = intern(f->p, ob ? ob : "", fl ? fl : "", base);

	free(base);
	return i;
}

static int set_fn(struct cgfile *f, const char *v)
{
	const char *name;
	int err;

	if ((err = resolve(f, &f->fns, v, &name)) < 0)
		return err;
	f->fn = (long)intern_name(f, f->ob, f->fl, name);
	f->in_call = 0;
	return 0;
}

/* The Ir column of an "events:" line. */
static int set_events(struct cgfile *f, char *v)
{
	char *tok, *save = NULL;
	long i = 0;

	f->ir = -1;
	for (tok = strtok_r(v, " \t\r", &save); tok;
	     tok = strtok_r(NULL, " \t\r", &save), i++)
		if (!strcmp(tok, "Ir"))
			f->ir = i;
	if (f->ir < 0)
		return bad_line(f, "no Ir event (run callgrind with its "
		                   "default events)");
	return 0;
}

/*
 * Ir of a cost line: npos positions first, then events (missing: 0).
 * Totals lines have no positions.
 */
static int cost_ir(const struct cgfile *f, const char *line, long npos,
                   double *ir)
{
	const char *p = line;
	long col = 0;
	char *end;

	*ir = 0;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\r')
			break;
		if (col == npos + f->ir) {
			*ir = strtod(p, &end);
			if (end == p || !isfinite(*ir) || *ir < 0)
				return bad_line(f, "bad cost");
			return 0;
		}
		while (*p && *p != ' ' && *p != '\t')
			p++;
		col++;
	}
	return col ? 0 : bad_line(f, "empty cost line");
}

static int add_cost(struct cgfile *f, const char *line)
{
	struct runner_cg_fn *fn;
	size_t callee;
	double ir;
	int err;

	if (f->ir < 0)
		return bad_line(f, "cost line before \"events:\"");
	if (f->fn < 0)
		return bad_line(f, "cost line before any fn=");
	if ((err = cost_ir(f, line, f->positions, &ir)) < 0)
		return err;
	fn = &f->p->fns[f->fn];
	if (!f->in_call) {
		fn->self += ir;
		fn->incl += ir;
		return 0;
	}
	f->in_call = 0;
	callee = f->cfn ? intern_name(f, f->cob ? f->cob : f->ob,
	                              f->cfi ? f->cfi : f->fl, f->cfn)
	                : (size_t)f->fn;
	/* a direct recursive call is already in fn's own inclusive count */
	if (callee != (size_t)f->fn) {
		f->p->fns[f->fn].incl += ir;
		add_edge(f->p, (size_t)f->fn, callee, ir);
	}
	f->cob = f->cfi = f->cfn = NULL;
	return 0;
}

static int header_line(struct cgfile *f, const char *line, int *handled)
{
	struct pg_buf v = PG_BUF_INIT;
	int err = 0;

	*handled = 1;
	if (!strncmp(line, "events:", 7)) {
		pg_buf_addstr(&v, line + 7);
		err = set_events(f, v.s);
	} else if (!strncmp(line, "positions:", 10)) {
		f->positions =
		        strstr(line, "instr") && strstr(line, "line") ? 2 : 1;
	} else if (!strncmp(line, "totals:", 7) ||
	           !strncmp(line, "summary:", 8)) {
		/* callgrind writes summary: first and totals: last */
		if (f->ir < 0)
			err = bad_line(f, "totals before \"events:\"");
		else
			err = cost_ir(f, strchr(line, ':') + 1, 0, &f->total);
		f->have_total = 1;
	} else {
		*handled = 0;
	}
	pg_buf_release(&v);
	return err;
}

static int spec_line(struct cgfile *f, const char *key, const char *v)
{
	const char *ignored;

	if (!strcmp(key, "ob"))
		return resolve(f, &f->obs, v, &f->ob);
	if (!strcmp(key, "fl"))
		return resolve(f, &f->fls, v, &f->fl);
	if (!strcmp(key, "fi") || !strcmp(key, "fe"))
		return resolve(f, &f->fls, v, &ignored);
	if (!strcmp(key, "fn"))
		return set_fn(f, v);
	if (!strcmp(key, "cob"))
		return resolve(f, &f->obs, v, &f->cob);
	if (!strcmp(key, "cfi") || !strcmp(key, "cfl"))
		return resolve(f, &f->fls, v, &f->cfi);
	if (!strcmp(key, "cfn"))
		return resolve(f, &f->fns, v, &f->cfn);
	if (!strcmp(key, "calls")) {
		if (f->fn < 0)
			return bad_line(f, "calls= before any fn=");
		f->in_call = 1;
	}
	/* jump=, jcnd= and unknown keys carry no instruction counts */
	return 0;
}

static int one_line(struct cgfile *f, char *line)
{
	char *eq, *colon;
	int handled, err;

	if (!*line || *line == '#')
		return 0;
	if ((*line >= '0' && *line <= '9') || *line == '+' || *line == '-' ||
	    *line == '*')
		return add_cost(f, line);
	if ((err = header_line(f, line, &handled)) < 0 || handled)
		return err;
	eq = strchr(line, '=');
	colon = strchr(line, ':');
	if (!eq || eq == line || (colon && colon < eq))
		return 0; /* "desc:", "cmd:", "pid:" and other headers */
	*eq = '\0';
	return spec_line(f, line, eq + 1);
}

int runner_cg_parse(struct runner_cg_profile *p, const char *text, size_t len,
                    const char *what, const char *root)
{
	struct cgfile f;
	struct pg_buf line = PG_BUF_INIT;
	const char *s = text, *end = text + len, *nl;
	int err = 0;

	memset(&f, 0, sizeof(f));
	f.p = p;
	f.what = what;
	f.root = root;
	f.fn = -1;
	f.ir = -1;
	f.positions = 1;
	for (; !err && s < end; s = nl + 1) {
		nl = memchr(s, '\n', (size_t)(end - s));
		if (!nl)
			nl = end;
		f.lineno++;
		pg_buf_reset(&line);
		pg_buf_add(&line, s, (size_t)(nl - s));
		if (line.len && line.s[line.len - 1] == '\r')
			line.s[--line.len] = '\0';
		err = one_line(&f, line.s);
	}
	if (!err && f.ir < 0)
		err = pg_error_input("'%s': no \"events:\" line with Ir: not a "
		                     "callgrind output file",
		                     what);
	else if (!err && !f.have_total)
		err = pg_error_input("'%s': no \"totals:\" or \"summary:\" "
		                     "line: the profiled process did not "
		                     "finish writing it",
		                     what);
	if (!err) {
		p->total += f.total;
		p->files++;
	}
	names_release(&f.obs);
	names_release(&f.fls);
	names_release(&f.fns);
	pg_buf_release(&line);
	return err;
}

/* 1 when callgrind shows an address instead of a name. */
static int unnamed(const char *name)
{
	return !strncmp(name, "0x", 2);
}

const char *runner_cg_stripped(const struct runner_cg_profile *p)
{
	size_t i, j;

	for (i = 0; i < p->n; i++) {
		const char *ob = p->fns[i].object;

		if (!*ob || *ob == '/' || !strcmp(ob, "???") ||
		    !unnamed(p->fns[i].name))
			continue;
		for (j = 0; j < p->n; j++)
			if (!strcmp(p->fns[j].object, ob) &&
			    !unnamed(p->fns[j].name))
				break;
		if (j == p->n)
			return ob;
	}
	return NULL;
}

int runner_cg_load_dir(struct runner_cg_profile *p, const char *dir,
                       const char *root)
{
	struct pg_buf path = PG_BUF_INIT, text = PG_BUF_INIT;
	struct dirent *e;
	struct stat st;
	size_t before = p->files;
	DIR *d;
	int err = 0;

	if (!(d = opendir(dir)))
		return pg_error_runtime("cannot read '%s': %s", dir,
		                        strerror(errno));
	while (!err && (e = readdir(d))) {
		pg_buf_reset(&path);
		pg_buf_addf(&path, "%s/%s", dir, e->d_name);
		if (stat(path.s, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		pg_buf_reset(&text);
		if ((err = pg_buf_read_file(&text, path.s)) == 0)
			err = runner_cg_parse(p, text.s, text.len, path.s,
			                      root);
	}
	closedir(d);
	if (!err && p->files == before)
		err = pg_error_runtime("valgrind wrote no output file into "
		                       "'%s'",
		                       dir);
	pg_buf_release(&path);
	pg_buf_release(&text);
	return err;
}

static int delta_cmp(const void *a, const void *b)
{
	const struct runner_cg_delta *x = a, *y = b;
	double dx = x->cand_self - x->base_self,
	       dy = y->cand_self - y->base_self;
	double ix = x->cand_incl - x->base_incl,
	       iy = y->cand_incl - y->base_incl;

	if (dx != dy)
		return dx < dy ? 1 : -1;
	if (ix != iy)
		return ix < iy ? 1 : -1;
	return strcmp(x->name, y->name);
}

static void push_delta(struct runner_cg_delta **out, size_t *n, size_t *alloc,
                       const struct runner_cg_fn *b,
                       const struct runner_cg_fn *c)
{
	const struct runner_cg_fn *k = c ? c : b;
	struct runner_cg_delta *d;

	if (b && c && b->self == c->self && b->incl == c->incl)
		return;
	*out = pg_grow_array(*out, sizeof(**out), *n + 1, alloc);
	d = &(*out)[(*n)++];
	memset(d, 0, sizeof(*d));
	d->object = k->object;
	d->file = k->file;
	d->name = k->name;
	d->base_self = b ? b->self : 0;
	d->base_incl = b ? b->incl : 0;
	d->cand_self = c ? c->self : 0;
	d->cand_incl = c ? c->incl : 0;
	d->only_base = !c;
	d->only_cand = !b;
}

void runner_cg_diff(struct runner_cg_delta **out, size_t *n,
                    const struct runner_cg_profile *base,
                    const struct runner_cg_profile *cand)
{
	size_t i, alloc = 0;

	*out = NULL;
	*n = 0;
	for (i = 0; i < cand->n; i++) {
		const struct runner_cg_fn *c = &cand->fns[i];

		push_delta(out, n, &alloc,
		           runner_cg_find(base, c->object, c->file, c->name),
		           c);
	}
	for (i = 0; i < base->n; i++) {
		const struct runner_cg_fn *b = &base->fns[i];

		if (!runner_cg_find(cand, b->object, b->file, b->name))
			push_delta(out, n, &alloc, b, NULL);
	}
	if (*n)
		qsort(*out, *n, sizeof(**out), delta_cmp);
}
