#include "model/units.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

struct scale {
	double factor;
	const char *name;
};

static const struct scale time_scales[] = {
        {1e-9, "ns"}, {1e-6, "µs"}, {1e-3, "ms"}, {1, "s"}, {0, NULL}};
static const struct scale byte_scales[] = {{1, "B"},
                                           {1024.0, "KiB"},
                                           {1024.0 * 1024, "MiB"},
                                           {1024.0 * 1024 * 1024, "GiB"},
                                           {1024.0 * 1024 * 1024 * 1024, "TiB"},
                                           {0, NULL}};
static const struct scale si_scales[] = {{1, ""},    {1e3, "k"},  {1e6, "M"},
                                         {1e9, "G"}, {1e12, "T"}, {0, NULL}};

static const struct scale *pick(const struct scale *s, double v)
{
	const struct scale *best = s;

	for (; s->name; s++)
		if (fabs(v) >= s->factor * 0.9995)
			best = s;
	return best;
}

static void number(char *out, size_t n, double v, const char *unit)
{
	double a = fabs(v);
	int prec = a >= 100 ? 1 : a >= 10 ? 2 : 3;

	if (a >= 1000 || v == floor(v))
		prec = a >= 1000 || v == 0 ? 0 : prec;
	snprintf(out, n, "%.*f %s", prec, v, unit);
}

char *pg_format_value(char *out, size_t n, double v, const char *unit)
{
	const struct scale *s;
	char u[32];

	if (!isfinite(v)) {
		snprintf(out, n, "-");
		return out;
	}
	if (!strcmp(unit, "s")) {
		s = pick(time_scales, v);
		number(out, n, v / s->factor, s->name);
	} else if (!strcmp(unit, "B")) {
		s = pick(byte_scales, v);
		number(out, n, v / s->factor, s->name);
	} else if (!strcmp(unit, "B/s") || !strcmp(unit, "items/s") ||
	           !strcmp(unit, "req/s")) {
		s = pick(si_scales, v);
		snprintf(u, sizeof(u), "%s%s", s->name, unit);
		number(out, n, v / s->factor, u);
	} else {
		number(out, n, v, unit);
	}
	/* "12 " for a bare number: drop the trailing space */
	if (*out && out[strlen(out) - 1] == ' ')
		out[strlen(out) - 1] = '\0';
	return out;
}
