# model-move.sed: the path renames of the model/ move (issue 17, item 1):
# includes, paths in comments and docs, and the header guards.  For a
# branch made before the move: merge (git follows the renamed files),
# then rewrite what still names the old paths, from the top of the tree:
#
#   git grep -lE 'util/(config|result|quantity|units)|reporters/report(_alert|_samples)?[.][ch]|PG_(UTIL|REPORTERS)_' \
#       -- ':!scripts/model-move.sed' | xargs -r sed -i -f scripts/model-move.sed
#
# Idempotent.  May be deleted once every branch is merged.
s|util/config\.c|model/config.c|g
s|util/config\.h|model/config.h|g
s|util/config_internal\.h|model/config_internal.h|g
s|util/config_policy\.c|model/config_policy.c|g
s|util/config_service\.c|model/config_service.c|g
s|util/config_stress\.c|model/config_stress.c|g
s|util/result\.c|model/result.c|g
s|util/result\.h|model/result.h|g
s|util/result_fast\.c|model/result_fast.c|g
s|util/result_fast\.h|model/result_fast.h|g
s|util/result_json\.c|model/result_json.c|g
s|util/quantity\.c|model/quantity.c|g
s|util/quantity\.h|model/quantity.h|g
s|util/units\.c|model/units.c|g
s|util/units\.h|model/units.h|g
s|reporters/report\.c|model/report.c|g
s|reporters/report\.h|model/report.h|g
s|reporters/report_alert\.c|model/report_alert.c|g
s|reporters/report_samples\.c|model/report_samples.c|g
s|PG_UTIL_CONFIG_H|PG_MODEL_CONFIG_H|g
s|PG_UTIL_CONFIG_INTERNAL_H|PG_MODEL_CONFIG_INTERNAL_H|g
s|PG_UTIL_RESULT_H|PG_MODEL_RESULT_H|g
s|PG_UTIL_RESULT_FAST_H|PG_MODEL_RESULT_FAST_H|g
s|PG_UTIL_QUANTITY_H|PG_MODEL_QUANTITY_H|g
s|PG_UTIL_UNITS_H|PG_MODEL_UNITS_H|g
s|PG_REPORTERS_REPORT_H|PG_MODEL_REPORT_H|g
s|util/result_summary\.c|model/result_summary.c|g
s|util/result_summary\.h|model/result_summary.h|g
s|PG_UTIL_RESULT_SUMMARY_H|PG_MODEL_RESULT_SUMMARY_H|g
