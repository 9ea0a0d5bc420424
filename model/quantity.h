/*
 * quantity.h - numbers with units as people write them in perfgate.json
 * and on the command line: "250ms", "2 s", "512MiB", "1.5GB", "0.1%",
 * "5%", "1e6/s".
 */
#ifndef PG_MODEL_QUANTITY_H
#define PG_MODEL_QUANTITY_H

/* The kind of a parsed quantity, and so which metrics it fits. */
enum pg_quantity_kind {
	PG_QTY_NUMBER, /* no unit: in the metric's own unit */
	PG_QTY_TIME, /* normalised to seconds */
	PG_QTY_BYTES, /* normalised to bytes */
	PG_QTY_FRACTION, /* a percentage, normalised to a fraction */
	PG_QTY_RATE, /* per second: "1000/s", "10MB/s" */
};

struct pg_quantity {
	double value; /* normalised */
	enum pg_quantity_kind kind;
};

/*
 * Parse text.  Time units: ns, us, µs, ms, s, min, h.  Bytes: B, kB, MB,
 * GB, TB (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024).  "%" makes
 * a fraction.  A "/s" suffix makes a rate.  Returns 0, or PG_EINPUT with a
 * message naming text (the caller adds the file and path).
 */
int pg_quantity_parse(struct pg_quantity *q, const char *text);

/* Does a quantity of this kind fit a metric measured in unit? */
int pg_quantity_fits(enum pg_quantity_kind kind, const char *unit);

/* A fraction from 0.05 or "5%": PG_EINPUT unless 0 <= v < max. */
int pg_fraction_parse(double *out, const char *text, double max);

#endif
