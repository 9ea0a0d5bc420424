/*
 * json_read.h - reading back the report JSON document that `perfgate gate
 * --json FILE` writes (reporters/json.h, docs/report-json.md), for the
 * gate page of `perfgate report --html`.
 */
#ifndef PG_REPORTERS_JSON_READ_H
#define PG_REPORTERS_JSON_READ_H

#include <stddef.h>

#include "model/report.h"

/*
 * Fill r (initialised by the caller with report_init()) from the report
 * document text[0..len).  what names the source in messages.  Members this
 * reader does not know are ignored, as the format allows.  Returns 0, or
 * PG_EINPUT naming what and the member at fault: invalid JSON, another
 * schema, rows that are not objects, an unknown verdict.
 */
int report_json_read(struct report *r, const char *text, size_t len,
                     const char *what);

#endif
