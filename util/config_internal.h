/* Shared between util/config.c and util/config_policy.c only. */
#ifndef PG_UTIL_CONFIG_INTERNAL_H
#define PG_UTIL_CONFIG_INTERNAL_H

#include "util/config.h"
#include "util/json.h"

/* Parse the policy keys (gate, threshold, alpha, budget) of obj. */
int config_policy_parse(struct config_policy *p, const cJSON *obj,
                        const char *file, const char *path);
void config_policy_init(struct config_policy *p);
void config_policy_release(struct config_policy *p);

/* Parse the top-level "accept" array into cfg. */
int config_accepts_parse(struct config *cfg, const cJSON *arr);
void config_accepts_release(struct config *cfg);

#endif
