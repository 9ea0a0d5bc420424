/* The list of output formats; see reporters/reporter.h. */
#include "reporters/reporter.h"
#include "reporters/github.h"
#include "reporters/json.h"
#include "reporters/junit.h"
#include "reporters/markdown.h"
#include "reporters/openmetrics.h"
#include "reporters/terminal.h"

#include <string.h>

const struct reporter *const report_reporters[] = {
        &report_junit,  &report_markdown,    &report_json, &report_terminal,
        &report_github, &report_openmetrics, NULL,
};

const struct reporter *report_reporter_find(const char *name)
{
	size_t i;

	for (i = 0; report_reporters[i]; i++)
		if (!strcmp(report_reporters[i]->name, name))
			return report_reporters[i];
	return NULL;
}
