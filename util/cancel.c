/* Asking long work to stop; see util/cancel.h. */
#include "util/cancel.h"
#include "util/error.h"

volatile sig_atomic_t pg_cancel_signal;

int pg_cancel_check(void)
{
	return pg_cancel_signal ? pg_error_runtime("interrupted") : 0;
}
