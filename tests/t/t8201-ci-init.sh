#!/bin/sh
# The CI files `perfgate init --ci` writes are valid for their platform:
# the GitHub workflow for @action-validator/cli and with the action's
# inputs, the GitLab include for gitlab-ci-local with the component's
# spec: inputs (the catalog path is swapped for the local file, since
# there is no GitLab server here).
. ./lib.sh

VALIDATOR="${PERFGATE_NODE_BIN:-}/action-validator"
GCL="${PERFGATE_NODE_BIN:-}/gitlab-ci-local"
if [ -z "${PERFGATE_NODE_BIN:-}" ]; then
	echo "ok 1 # SKIP the npm tools are not installed"
	echo "1..1"
	exit 0
fi

test_expect_success 'init --ci github: a valid workflow using only inputs the action has' '
	git init -q gh && cd gh && echo "bench:" >Makefile &&
	perfgate init --ci github >out &&
	"$VALIDATOR" .github/workflows/perfgate.yml &&
	python3 - .github/workflows/perfgate.yml "$PERFGATE_TOP/action.yml" <<-\EOF
	import sys, yaml
	w = yaml.safe_load(open(sys.argv[1]))
	a = yaml.safe_load(open(sys.argv[2]))
	for job in w["jobs"].values():
	    for step in job["steps"]:
	        if step.get("uses", "").startswith("perfgate/perfgate@"):
	            for k in (step.get("with") or {}):
	                assert k in a["inputs"], k
	EOF
'

test_expect_success 'init --ci gitlab: the include and its inputs pass GitLab validation' '
	git init -q -b main gl && cd gl && echo "bench:" >Makefile &&
	perfgate init --ci gitlab >out &&
	test_grep "^  - component: \\\$CI_SERVER_FQDN/perfgate/perfgate/perfgate@1$" .gitlab-ci.yml &&
	cp "$PERFGATE_TOP/templates/perfgate.yml" . &&
	sed "s|component: .*|local: perfgate.yml|" .gitlab-ci.yml >x && mv x .gitlab-ci.yml &&
	git add -A && git commit -qm ci &&
	"$GCL" --cwd . --preview >prev 2>&1 &&
	test_grep "^perfgate:$" prev &&
	test_grep "PERFGATE_MODE: auto" prev
'

test_done
