#include "model/quantity.h"
#include "util/error.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct unit_def {
	const char *name;
	double factor;
	enum pg_quantity_kind kind;
};

static const struct unit_def units[] = {
        {"ns", 1e-9, PG_QTY_TIME},
        {"us", 1e-6, PG_QTY_TIME},
        {"µs", 1e-6, PG_QTY_TIME},
        {"ms", 1e-3, PG_QTY_TIME},
        {"s", 1, PG_QTY_TIME},
        {"min", 60, PG_QTY_TIME},
        {"h", 3600, PG_QTY_TIME},
        {"B", 1, PG_QTY_BYTES},
        {"kB", 1e3, PG_QTY_BYTES},
        {"KB", 1e3, PG_QTY_BYTES},
        {"MB", 1e6, PG_QTY_BYTES},
        {"GB", 1e9, PG_QTY_BYTES},
        {"TB", 1e12, PG_QTY_BYTES},
        {"KiB", 1024.0, PG_QTY_BYTES},
        {"MiB", 1024.0 * 1024, PG_QTY_BYTES},
        {"GiB", 1024.0 * 1024 * 1024, PG_QTY_BYTES},
        {"TiB", 1024.0 * 1024 * 1024 * 1024, PG_QTY_BYTES},
        {"%", 0.01, PG_QTY_FRACTION},
        {NULL, 0, PG_QTY_NUMBER},
};

int pg_quantity_parse(struct pg_quantity *q, const char *text)
{
	const struct unit_def *u;
	char unit[16];
	size_t len;
	char *end;
	double v;
	int rate = 0;

	v = strtod(text, &end);
	if (end == text || !isfinite(v))
		return pg_error_input("'%s' is not a number with a unit", text);
	while (isspace((unsigned char)*end))
		end++;
	len = strlen(end);
	if (len >= 2 && !strcmp(end + len - 2, "/s")) {
		rate = 1;
		len -= 2;
	}
	if (len >= sizeof(unit))
		return pg_error_input("'%s': unknown unit", text);
	memcpy(unit, end, len);
	unit[len] = '\0';
	q->value = v;
	q->kind = rate ? PG_QTY_RATE : PG_QTY_NUMBER;
	if (!len)
		return 0;
	for (u = units; u->name; u++)
		if (!strcmp(u->name, unit))
			break;
	if (!u->name || (rate && u->kind != PG_QTY_BYTES))
		return pg_error_input("'%s': unknown unit '%s%s'", text, unit,
		                      rate ? "/s" : "");
	q->value = v * u->factor;
	if (!rate)
		q->kind = u->kind;
	return 0;
}

int pg_quantity_fits(enum pg_quantity_kind kind, const char *unit)
{
	switch (kind) {
	case PG_QTY_NUMBER:
		return 1;
	case PG_QTY_TIME:
		return !strcmp(unit, "s");
	case PG_QTY_BYTES:
		return !strcmp(unit, "B");
	case PG_QTY_FRACTION:
		return !strcmp(unit, "ratio") || !strcmp(unit, "fraction");
	case PG_QTY_RATE:
		return strlen(unit) > 2 &&
		       !strcmp(unit + strlen(unit) - 2, "/s");
	}
	return 0;
}

int pg_fraction_parse(double *out, const char *text, double max)
{
	struct pg_quantity q;

	if (pg_quantity_parse(&q, text) < 0 ||
	    (q.kind != PG_QTY_NUMBER && q.kind != PG_QTY_FRACTION) ||
	    !(q.value >= 0 && q.value < max))
		return pg_error_input("'%s' is not a fraction (0.05) or a "
		                      "percentage (5%%) below %g%%",
		                      text, max * 100);
	*out = q.value;
	return 0;
}
