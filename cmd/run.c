#include "cmd/cmd.h"

const char cmd_run_usage[] = "usage: perfgate run [options]\n";

int cmd_run(int argc, char **argv)
{
	return cmd_fail(pg_error_runtime("not implemented yet"));
}
