/* Shared between the files of model/config*.c only. */
#ifndef PG_MODEL_CONFIG_INTERNAL_H
#define PG_MODEL_CONFIG_INTERNAL_H

#include "model/config.h"
#include "util/json.h"

/* Parse the policy keys (gate, threshold, alpha, budget) of obj. */
int config_policy_parse(struct config_policy *p, const cJSON *obj,
                        const char *file, const char *path);
void config_policy_init(struct config_policy *p);
void config_policy_release(struct config_policy *p);

/* Parse the top-level "accept" array into cfg. */
int config_accepts_parse(struct config *cfg, const cJSON *arr);
void config_accepts_release(struct config *cfg);

/*
 * "command": a string (sh -c) into *shell, or an array of strings into
 * *argv (NULL-terminated, *argc entries).  path is the JSON path of the
 * object holding it.  0 or PG_EINPUT.
 */
int config_parse_command(char ***argv, size_t *argc, char **shell,
                         const cJSON *cmd, const char *file, const char *path);
/*
 * The absolute form of path p, which the config names relative to its own
 * directory (p absolute: p itself; NULL: the directory).  malloc'd; the
 * caller frees it.
 */
char *config_resolve_path(const struct config *cfg, const char *p);

/* "env" (may be NULL): "KEY=VALUE" strings into *env, *nenv of them. */
int config_parse_env(char ***env, size_t *nenv, const cJSON *obj,
                     const char *file, const char *path);
/* Free n strings of v, and v. */
void config_free_strv(char **v, size_t n);

/* Parse benchmark b's "service" and "soak" (model/config_service.c). */
int config_service_parse(struct config *cfg, struct config_bench *b,
                         const cJSON *jb, const char *path);
void config_service_release(struct config_bench *b);

/* "stress" of entry b (model/config_stress.c); b->service is parsed. */
int config_stress_parse(struct config *cfg, struct config_bench *b,
                        const cJSON *jb, const char *path);
void config_stress_release(struct config_bench *b);

#endif
