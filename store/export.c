#include "store/export.h"
#include "store/internal.h"

#include <string.h>

int store_export(struct store *s, const char *sha, const char *dir)
{
	git_checkout_options opts;
	git_object *obj = NULL;
	git_commit *c = NULL;
	git_oid oid;
	int err = 0;

	if (git_oid_fromstrn(&oid, sha, strlen(sha)) == 0 &&
	    strlen(sha) == GIT_OID_HEXSZ) {
		if (git_commit_lookup(&c, s->repo, &oid) < 0)
			return store_git_error(PG_EINPUT, "unknown commit '%s'",
			                       sha);
	} else {
		if (git_revparse_single(&obj, s->repo, sha) < 0 ||
		    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) <
		            0) {
			err = store_git_error(PG_EINPUT, "'%s' is not a commit",
			                      sha);
			goto out;
		}
	}
	git_checkout_options_init(&opts, GIT_CHECKOUT_OPTIONS_VERSION);
	/* every file of the tree, into dir only: not the index, not HEAD */
	opts.checkout_strategy = GIT_CHECKOUT_FORCE |
	                         GIT_CHECKOUT_DONT_UPDATE_INDEX |
	                         GIT_CHECKOUT_DONT_WRITE_INDEX;
	opts.target_directory = dir;
	if (git_checkout_tree(s->repo, (const git_object *)c, &opts) < 0)
		err = store_git_error(PG_ERUNTIME,
		                      "cannot check out %.12s into '%s'", sha,
		                      dir);
out:
	git_commit_free(c);
	git_object_free(obj);
	return err;
}
