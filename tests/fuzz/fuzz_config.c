/*
 * libFuzzer target: the config parser (model/config.c).  Any input is
 * either a config or PG_EINPUT with a message; never a crash, a leak or
 * undefined behaviour.
 */
#include "model/config.h"
#include "util/error.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config cfg;
	int err;

	config_init(&cfg);
	err = config_parse(&cfg, (const char *)data, size, "/tmp/fuzz.json");
	if (err != 0 && err != PG_EINPUT)
		abort();
	if (err < 0 && !*pg_error_last())
		abort(); /* an error always says what is wrong */
	config_release(&cfg);
	return 0;
}
