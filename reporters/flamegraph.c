/* A differential flame graph as SVG: see flamegraph.h. */
#include "reporters/flamegraph.h"
#include "reporters/junit.h"
#include "reporters/text.h"
#include "util/defaults.h"
#include "util/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_H 16 /* pixels per frame */
#define HEAD_H 48 /* title and note */
#define CHAR_W 7 /* pixels per character of the 12px font */

/* A frame: one name under one parent path, inclusive on both sides. */
struct node {
	char *name;
	double base, cand;
	size_t *kids, nkids, kids_alloc;
};

struct tree {
	struct node *v;
	size_t n, alloc;
	size_t depth; /* deepest frame */
};

static size_t add_node(struct tree *t, const char *name, size_t len)
{
	struct node *nd;

	t->v = pg_grow_array(t->v, sizeof(*t->v), t->n + 1, &t->alloc);
	nd = &t->v[t->n];
	memset(nd, 0, sizeof(*nd));
	nd->name = pg_strndup(name, len);
	return t->n++;
}

static size_t child(struct tree *t, size_t parent, const char *name, size_t len)
{
	size_t i, k;

	for (i = 0; i < t->v[parent].nkids; i++) {
		k = t->v[parent].kids[i];
		if (strlen(t->v[k].name) == len &&
		    !strncmp(t->v[k].name, name, len))
			return k;
	}
	k = add_node(t, name, len);
	t->v[parent].kids =
	        pg_grow_array(t->v[parent].kids, sizeof(size_t),
	                      t->v[parent].nkids + 1, &t->v[parent].kids_alloc);
	t->v[parent].kids[t->v[parent].nkids++] = k;
	return k;
}

static void insert(struct tree *t, const struct report_flame_stack *s)
{
	const char *p = s->stack, *semi;
	size_t at = 0, depth = 0;

	t->v[0].base += s->base;
	t->v[0].cand += s->cand;
	while (*p) {
		semi = strchr(p, ';');
		at = child(t, at, p, semi ? (size_t)(semi - p) : strlen(p));
		t->v[at].base += s->base;
		t->v[at].cand += s->cand;
		depth++;
		p = semi ? semi + 1 : p + strlen(p);
	}
	if (depth > t->depth)
		t->depth = depth;
}

/* White for no change, red for growth, blue for shrinkage. */
static void add_fill(struct pg_buf *b, const struct node *nd)
{
	double big = fmax(nd->base, nd->cand);
	double d = big > 0 ? (nd->cand - nd->base) / big : 0;
	int fade = (int)lround(225 * (1 - fabs(d)));

	if (d > 0)
		pg_buf_addf(b, "rgb(255,%d,%d)", fade + 30, fade + 30);
	else if (d < 0)
		pg_buf_addf(b, "rgb(%d,%d,255)", fade + 30, fade + 30);
	else
		pg_buf_addstr(b, "rgb(235,235,235)");
}

static void draw(struct pg_buf *b, const struct tree *t, size_t at, double x,
                 size_t depth, double scale, double height)
{
	const struct node *nd = &t->v[at];
	double w = nd->cand * scale, y = height - (double)(depth + 1) * FRAME_H;
	size_t i, chars;

	if (w < 0.1)
		return;
	pg_buf_addstr(b, "<g><title>");
	report_xml_escape(b, nd->name, 0);
	pg_buf_addf(b, ": %.0f -> %.0f instructions", nd->base, nd->cand);
	if (nd->base > 0)
		pg_buf_addf(b, " (%+.1f%%)", 100 * (nd->cand / nd->base - 1));
	pg_buf_addf(b,
	            "</title><rect x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" "
	            "height=\"%d\" fill=\"",
	            x, y, w, FRAME_H - 1);
	add_fill(b, nd);
	pg_buf_addstr(b, "\"/>");
	chars = (size_t)(w / CHAR_W);
	if (chars >= strlen(nd->name))
		chars = strlen(nd->name); /* pg_strndup() copies n bytes */
	else
		chars = report_utf8_cut(nd->name, chars); /* whole characters */
	if (chars >= 3) {
		char *label = pg_strndup(nd->name, chars);

		pg_buf_addf(b, "<text x=\"%.1f\" y=\"%.0f\">", x + 2,
		            y + FRAME_H - 4);
		report_xml_escape(b, label, 0);
		pg_buf_addstr(b, "</text>");
		free(label);
	}
	pg_buf_addstr(b, "</g>\n");
	for (i = 0; i < nd->nkids; i++) {
		draw(b, t, nd->kids[i], x, depth + 1, scale, height);
		x += t->v[nd->kids[i]].cand * scale;
	}
}

void report_flamegraph_svg(struct pg_buf *out,
                           const struct report_flame_stack *stacks, size_t n,
                           const char *title, const char *note)
{
	struct tree t = {0};
	double height, scale;
	size_t i;

	add_node(&t, "all", 3);
	for (i = 0; i < n; i++)
		insert(&t, &stacks[i]);
	height = HEAD_H + (double)(t.depth + 1) * FRAME_H;
	scale = t.v[0].cand > 0 ? PG_FLAME_WIDTH / t.v[0].cand : 0;
	pg_buf_addf(out,
	            "<?xml version=\"1.0\" standalone=\"no\"?>\n"
	            "<svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" "
	            "width=\"%d\" height=\"%.0f\" font-family=\"monospace\" "
	            "font-size=\"12\">\n<text x=\"4\" y=\"16\" "
	            "font-size=\"14\">",
	            PG_FLAME_WIDTH, height);
	report_xml_escape(out, title, 0);
	pg_buf_addstr(out, "</text>\n<text x=\"4\" y=\"34\">");
	report_xml_escape(out, note ? note : "", 0);
	pg_buf_addstr(out, "</text>\n");
	if (scale > 0)
		draw(out, &t, 0, 0, 0, scale, height);
	pg_buf_addstr(out, "</svg>\n");
	for (i = 0; i < t.n; i++) {
		free(t.v[i].name);
		free(t.v[i].kids);
	}
	free(t.v);
}
