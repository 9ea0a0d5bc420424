/* Exact, fast decimal-to-double conversion; see util/jsonnum.h. */
#include "util/jsonnum.h"
#include "util/mem.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* More significant digits than this do not fit a uint64_t: use strtod. */
#define MAX_DIGITS 19

static const double pow10_double[] = {
        1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

static const uint64_t pow10_u64[] = {
        1ull,
        10ull,
        100ull,
        1000ull,
        10000ull,
        100000ull,
        1000000ull,
        10000000ull,
        100000000ull,
        1000000000ull,
        10000000000ull,
        100000000000ull,
        1000000000000ull,
        10000000000000ull,
        100000000000000ull,
        1000000000000000ull,
        10000000000000000ull,
        100000000000000000ull,
        1000000000000000000ull,
        10000000000000000000ull,
};

/* strtod on the characters [s, e): the reference for the hard cases. */
static double slow(const char *s, const char *e)
{
	char small[64], *buf = small;
	size_t n = (size_t)(e - s);
	double v;

	if (n >= sizeof(small))
		buf = pg_malloc(n + 1);
	memcpy(buf, s, n);
	buf[n] = '\0';
	v = strtod(buf, NULL);
	if (buf != small)
		free(buf);
	return v;
}

#ifdef __SIZEOF_INT128__
typedef unsigned __int128 u128;

static int bit_length(u128 v)
{
	uint64_t hi = (uint64_t)(v >> 64);

	if (hi)
		return 128 - __builtin_clzll(hi);
	return 64 - __builtin_clzll((uint64_t)v);
}

/* mant * 2^bexp for 2^52 <= mant < 2^53 and a normal result. */
static double make_double(uint64_t mant, int bexp)
{
	uint64_t bits = (uint64_t)(bexp + 52 + 1023) << 52 |
	                (mant & (((uint64_t)1 << 52) - 1));
	double d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/*
 * (v + f) * 2^bexp rounded to the nearest double, ties to even, where
 * 0 <= f < 1 and sticky says f > 0.  v is not 0, and the result must be a
 * normal double (the callers' ranges guarantee it).
 */
static double round_to_double(u128 v, int sticky, int bexp)
{
	int len = bit_length(v), drop;
	uint64_t mant;
	u128 rem, half;

	if (len <= 53)
		return ldexp((double)(uint64_t)v, bexp);
	drop = len - 53;
	mant = (uint64_t)(v >> drop);
	rem = v & (((u128)1 << drop) - 1);
	half = (u128)1 << (drop - 1);
	if (rem > half || (rem == half && (sticky || (mant & 1)))) {
		mant++;
		if (mant == (uint64_t)1 << 53) {
			mant >>= 1;
			drop++;
		}
	}
	return make_double(mant, drop + bexp);
}

/*
 * m * 10^e exactly rounded, for m > 0 below 2^64 and -21 <= e <= 19;
 * returns 0 outside that range.
 */
static int exact128(uint64_t m, int e, double *out)
{
	if (e >= 0 && e <= 19) {
		/* exact product: below 2^64 * 10^19 < 2^128 */
		*out = round_to_double((u128)m * pow10_u64[e], 0, 0);
		return 1;
	}
	if (e < 0 && e >= -21) {
		/*
		 * Normalise m to bit 127, divide by 10^k < 2^70: the quotient
		 * has at least 57 bits, enough for 53 plus rounding, and the
		 * remainder says whether anything was cut off.
		 */
		int k = -e, shift = 64 + __builtin_clzll(m);
		u128 d, n;

#if defined(__x86_64__) && defined(__GNUC__)
		if (k <= 19) {
			/*
			 * One 128-by-64-bit divq instead of __udivti3: with m
			 * normalised to bit 63 and shifted by one bit less
			 * than 10^k has, the quotient fits 64 bits and still
			 * has at least 63.
			 */
			uint64_t dk = pow10_u64[k], q, r;
			int t = 63 - __builtin_clzll(dk);

			shift = __builtin_clzll(m) + t;
			n = (u128)(m << __builtin_clzll(m)) << t;
			__asm__("divq %4"
			        : "=a"(q), "=d"(r)
			        : "a"((uint64_t)n), "d"((uint64_t)(n >> 64)),
			          "rm"(dk));
			*out = round_to_double(q, r != 0, -shift);
			return 1;
		}
#endif
		d = k <= 19 ? (u128)pow10_u64[k]
		            : (u128)pow10_u64[19] * pow10_u64[k - 19];
		n = (u128)m << shift;
		*out = round_to_double(n / d, n % d != 0, -shift);
		return 1;
	}
	return 0;
}
#endif

static int is_digit(const char *p, const char *end)
{
	return p < end && *p >= '0' && *p <= '9';
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Eight digits at once (SWAR, as in Lemire's fast_float): samples are
 * printed with up to 17 significant digits, and a digit at a time was
 * most of the time spent here.
 */
static int eight_digits(const char *p, const char *end, uint32_t *out)
{
	const uint64_t mask = 0x000000FF000000FFull;
	const uint64_t mul1 = 0x000F424000000064ull; /* 100 + 10^6 << 32 */
	const uint64_t mul2 = 0x0000271000000001ull; /* 1 + 10^4 << 32 */
	uint64_t v;

	if (end - p < 8)
		return 0;
	memcpy(&v, p, 8);
	if (((v + 0x4646464646464646ull) | (v - 0x3030303030303030ull)) &
	    0x8080808080808080ull)
		return 0;
	v -= 0x3030303030303030ull;
	v = v * 10 + (v >> 8);
	v = ((v & mask) * mul1 + ((v >> 16) & mask) * mul2) >> 32;
	*out = (uint32_t)v;
	return 1;
}
#else
static int eight_digits(const char *p, const char *end, uint32_t *out)
{
	(void)p;
	(void)end;
	(void)out;
	return 0;
}
#endif

/* A decimal significand m (at most MAX_DIGITS digits) times 10^e. */
struct decimal {
	uint64_t m;
	int neg, e;
	int many; /* more digits or a larger exponent than fit: strtod */
};

/* The digits of the fraction after '.', at p. */
static const char *fraction(const char *p, const char *end, struct decimal *d,
                            int *ndigits)
{
	uint32_t eight;

	/* leading zeros only shift the point */
	for (; d->m == 0 && p < end && *p == '0'; p++)
		d->e--;
	while (*ndigits + 8 <= MAX_DIGITS && eight_digits(p, end, &eight)) {
		d->m = d->m * 100000000u + eight;
		*ndigits += 8;
		d->e -= 8;
		p += 8;
	}
	for (; is_digit(p, end); p++) {
		if (*ndigits < MAX_DIGITS) {
			d->m = d->m * 10 + (uint64_t)(*p - '0');
			(*ndigits)++;
			d->e--;
		} else {
			d->many = 1;
		}
	}
	return p;
}

/* The exponent after 'e' or 'E', at p, added to d->e. */
static const char *exponent(const char *p, const char *end, struct decimal *d)
{
	int exp = 0, neg = 0;

	if (p < end && (*p == '+' || *p == '-'))
		neg = *p++ == '-';
	if (!is_digit(p, end))
		return NULL;
	for (; is_digit(p, end); p++) {
		if (exp < 100000)
			exp = exp * 10 + (*p - '0');
		else
			d->many = 1;
	}
	d->e += neg ? -exp : exp;
	return p;
}

/* The JSON number grammar at p into d; NULL when it is not one. */
static const char *scan_decimal(const char *p, const char *end,
                                struct decimal *d)
{
	int ndigits = 0;

	memset(d, 0, sizeof(*d));
	if (p < end && *p == '-') {
		d->neg = 1;
		p++;
	}
	if (!is_digit(p, end))
		return NULL;
	if (*p == '0') {
		p++;
	} else {
		for (; is_digit(p, end); p++) {
			if (ndigits < MAX_DIGITS)
				d->m = d->m * 10 + (uint64_t)(*p - '0');
			else
				d->many = 1;
			ndigits++;
		}
	}
	if (p < end && *p == '.') {
		if (!is_digit(++p, end))
			return NULL;
		p = fraction(p, end, d, &ndigits);
	}
	if (p < end && (*p == 'e' || *p == 'E'))
		p = exponent(p + 1, end, d);
	return p;
}

const char *pg_json_scan_number(const char *p, const char *end, double *out)
{
	struct decimal d;
	const char *e = scan_decimal(p, end, &d);
	double v;

	if (!e)
		return NULL;
	if (d.many) {
		*out = slow(p, e);
		return e;
	}
	if (d.m == 0) {
		*out = d.neg ? -0.0 : 0.0;
		return e;
	}
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
	/* both operands exact, one rounding: the correctly rounded result */
	if (d.m <= (uint64_t)1 << 53 && d.e >= -22 && d.e <= 22) {
		v = (double)d.m;
		v = d.e < 0 ? v / pow10_double[-d.e] : v * pow10_double[d.e];
		*out = d.neg ? -v : v;
		return e;
	}
#endif
#ifdef __SIZEOF_INT128__
	if (exact128(d.m, d.e, &v)) {
		*out = d.neg ? -v : v;
		return e;
	}
#endif
	*out = slow(p, e);
	return e;
}

/* 17 significant digits of v > 0 or v < 0 and its decimal exponent. */
struct digits {
	int neg, exp;
	char d[18];
};

static void digits17(struct digits *g, double v)
{
	char e[40];
	const char *p = e;
	int i;

	snprintf(e, sizeof(e), "%.16e", v); /* "-d.dddddddddddddddde+XX" */
	g->neg = *p == '-';
	p += g->neg;
	g->d[0] = *p;
	p += 2;
	for (i = 1; i < 17; i++)
		g->d[i] = *p++;
	g->d[17] = '\0';
	g->exp = atoi(p + 1);
}

/*
 * Round g to prec (<= 17) digits into r[0..prec) and *exp.  Returns 0
 * when the dropped digits are exactly a half: the exact value of v may
 * lie on either side of it.
 */
static int round_digits(const struct digits *g, int prec, char *r, int *exp)
{
	int i, up, rest = 0;

	memcpy(r, g->d, (size_t)prec);
	*exp = g->exp;
	if (prec == 17)
		return 1;
	for (i = prec + 1; i < 17; i++)
		rest |= g->d[i] != '0';
	if (g->d[prec] == '5' && !rest)
		return 0;
	up = g->d[prec] > '5' || (g->d[prec] == '5' && rest);
	for (i = prec - 1; up && i >= 0; i--) {
		up = r[i] == '9';
		r[i] = up ? '0' : (char)(r[i] + 1);
	}
	if (up) { /* 99..9 became 100..0 */
		r[0] = '1';
		(*exp)++;
	}
	return 1;
}

/* r[0..prec) laid out as C's %.{prec}g does (no '#' flag). */
static int layout_g(char *out, int neg, const char *r, int prec, int exp)
{
	char *o = out;
	int last = prec - 1, i;

	while (last > 0 && r[last] == '0')
		last--; /* %g drops trailing zeros of the fraction */
	if (neg)
		*o++ = '-';
	if (exp < -4 || exp >= prec) {
		*o++ = r[0];
		if (last > 0) {
			*o++ = '.';
			memcpy(o, r + 1, (size_t)last);
			o += last;
		}
		o += sprintf(o, "e%c%02d", exp < 0 ? '-' : '+',
		             exp < 0 ? -exp : exp);
		return (int)(o - out);
	}
	if (exp < 0) {
		*o++ = '0';
		*o++ = '.';
		for (i = 0; i < -exp - 1; i++)
			*o++ = '0';
		memcpy(o, r, (size_t)last + 1);
		o += last + 1;
	} else {
		memcpy(o, r, (size_t)exp + 1);
		o += exp + 1;
		if (last > exp) {
			*o++ = '.';
			memcpy(o, r + exp + 1, (size_t)(last - exp));
			o += last - exp;
		}
	}
	*o = '\0';
	return (int)(o - out);
}

int pg_json_format_number(char *out, double v)
{
	struct digits g;
	char r[17];
	int prec, exp, len = 0;
	double back;

	if (v != 0)
		digits17(&g, v);
	for (prec = 15; prec <= 17; prec++) {
		if (v != 0 && round_digits(&g, prec, r, &exp))
			len = layout_g(out, g.neg, r, prec, exp);
		else
			len = snprintf(out, PG_JSON_NUMBER_BUF, "%.*g", prec,
			               v);
		/* %g of a finite value is a JSON number; strtod otherwise */
		if (!pg_json_scan_number(out, out + len, &back))
			back = strtod(out, NULL);
		if (back == v)
			break;
	}
	return len;
}
