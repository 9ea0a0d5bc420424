/*
 * cpuwork - a CPU-bound example benchmark whose cost can be set exactly.
 *
 *   cpuwork ITERATIONS [SLOWDOWN_PERCENT]
 *
 * Runs ITERATIONS x (1 + SLOWDOWN_PERCENT/100) rounds of an xorshift loop,
 * so a slowdown of d% adds d% more instructions and (on an idle machine)
 * d% more time.  The environment variable CPUWORK_SLOWDOWN_PERCENT is read
 * when the argument is absent.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	const char *env = getenv("CPUWORK_SLOWDOWN_PERCENT");
	unsigned long long n, i, x = 88172645463325252ULL;
	double slowdown = 0;

	if (argc < 2) {
		fprintf(stderr,
		        "usage: cpuwork ITERATIONS [SLOWDOWN_PERCENT]\n");
		return 2;
	}
	n = strtoull(argv[1], NULL, 10);
	if (argc > 2)
		slowdown = strtod(argv[2], NULL);
	else if (env)
		slowdown = strtod(env, NULL);
	n = (unsigned long long)((double)n * (1.0 + slowdown / 100.0));
	for (i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
	}
	/* use the result so the loop cannot be optimised away */
	if (x == 42)
		printf("%llu\n", x);
	return 0;
}
