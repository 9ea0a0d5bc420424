/*
 * sortbench - sort N pseudo-random integers with qsort.
 *
 *   sortbench N
 */
#include <stdio.h>
#include <stdlib.h>

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	unsigned int seed = 12345;
	size_t n, i;
	int *v;

	if (argc < 2) {
		fprintf(stderr, "usage: sortbench N\n");
		return 2;
	}
	n = strtoul(argv[1], NULL, 10);
	v = malloc(n * sizeof(*v));
	if (!v) {
		fprintf(stderr, "sortbench: out of memory\n");
		return 1;
	}
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		v[i] = (int)(seed >> 1);
	}
	qsort(v, n, sizeof(*v), cmp_int);
	for (i = 1; i < n; i++) {
		if (v[i - 1] > v[i]) {
			fprintf(stderr, "sortbench: not sorted\n");
			return 1;
		}
	}
	free(v);
	return 0;
}
