#!/bin/sh
# The GitHub action (action.yml at the repository root) and the example
# workflow (ci-templates/github/perfgate.yml) are valid for GitHub
# (@action-validator/cli, installed by make check), no input is inlined
# into a script, the workflow gives each job only the permissions it needs
# and never cancels pushes, and the action's own scripts run under bash
# with GitHub's environment: the gate step's outputs say the verdict, its
# failure can be deferred, and a fork's comment step never fails the job.
# Timing-based (a 10x slowdown of a sleep), so it runs alone:
# test: serial
. ./lib.sh

T="$PERFGATE_TOP"
W="$PERFGATE_TOP/ci-templates/github/perfgate.yml"
GH="$TEST_DIR/ghsteps.py"
VALIDATOR="${PERFGATE_NODE_BIN:-}/action-validator"

if [ -z "${PERFGATE_NODE_BIN:-}" ] && ! command -v npm >/dev/null 2>&1; then
	echo "ok 1 # SKIP npm is not installed: templates not validated"
	echo "1..1"
	exit 0
fi

test_expect_success 'action-validator accepts the action and the workflow' '
	"$VALIDATOR" "$T/action.yml" &&
	"$VALIDATOR" "$W"
'

test_expect_success 'action-validator rejects a broken copy (it does check)' '
	sed "s/^    - name: perfgate gate$/    - nmae: perfgate gate/" \
		"$T/action.yml" >action.yml &&
	! cmp -s action.yml "$T/action.yml" &&
	! "$VALIDATOR" action.yml >out 2>&1 &&
	test_grep "nmae" out
'

test_expect_success 'no expression is inlined into a run: script' '
	"$GH" check-inputs "$T/action.yml" "$W" &&
	printf "runs:\n  using: composite\n  steps:\n    - run: echo \${{ inputs.x }}\n      shell: bash\n" >inj.yml &&
	! "$GH" check-inputs inj.yml 2>err && test_grep "inlined" err
'

# run_step STEP K=V...: run the action's step STEP with bash in the
# current directory, with its env: and GitHub's variables; its exit status.
run_step() {
	step=$1
	shift
	"$GH" script "$T/action.yml" "$step" >step.sh &&
	"$GH" env "$T/action.yml" "$step" "$@" >step.env || return 99
	(
		while IFS= read -r kv; do export "$kv"; done <step.env
		export GITHUB_ACTIONS=true GITHUB_REPOSITORY=owner/repo \
			GITHUB_OUTPUT="$PWD/gh.out" \
			GITHUB_STEP_SUMMARY="$PWD/gh.summary" \
			PATH="$(dirname "$PERFGATE"):$PATH"
		bash --noprofile --norc -eo pipefail step.sh
	)
}

new_repo repo
cat >repo/perfgate.json <<'JSON'
{"runs": 8, "warmup": 0, "threshold": "50%", "benchmarks": [
  {"name": "work", "command": "sleep $(cat delay)"}
]}
JSON
# five runs: a stored baseline's history (docs/statistics.md)
(cd repo && echo 0.01 >delay && git add . && git commit -q -m A &&
	for i in 1 2 3 4 5; do perfgate run 2>/dev/null; done &&
	git checkout -q -b topic)

test_expect_success 'gate step: a regression is the step failing with exit 1' '
	cd repo && echo 0.1 >delay && git commit -q -am slower &&
	test_expect_code 1 run_step gate \
		"inputs.runner-label=" "inputs.base-branch=main" >out 2>&1 &&
	test_grep "^exit-code=1$" gh.out &&
	test_grep "::error" out &&
	test -s perfgate-junit.xml && test -s perfgate.md &&
	test_grep "work" gh.summary
'

test_expect_success 'gate step: the outputs say the verdict and the count' '
	cd repo &&
	test_grep "^verdict=regression$" gh.out &&
	test_grep "^regressions=1$" gh.out &&
	test_grep "^markdown=$PWD/perfgate.md$" gh.out &&
	test_grep "^junit=$PWD/perfgate-junit.xml$" gh.out &&
	test_grep "^json=$PWD/perfgate-report.json$" gh.out
'

test_expect_success 'gate step: fail-on-regression false defers the failure' '
	cd repo && rm -f gh.out &&
	run_step gate "inputs.base-branch=main" "inputs.mode=stored" \
		"inputs.fail-on-regression=false" >out 2>&1 &&
	test_grep "^exit-code=1$" gh.out &&
	test_grep "^verdict=regression$" gh.out &&
	test_grep "::warning::perfgate: 1 regression" out
'

test_expect_success 'gate step: no regression is success with exit-code 0' '
	cd repo && echo 0.01 >delay && git commit -q -am "fast again" &&
	rm -f gh.out && run_step gate "inputs.base-branch=main" >out 2>&1 &&
	test_grep "^exit-code=0$" gh.out &&
	test_grep "^verdict=(pass|inconclusive)$" gh.out &&
	test_grep "^regressions=0$" gh.out
'

test_expect_success 'gate step: mode is auto, paired or stored, nothing else' '
	cd repo && rm -f gh.out &&
	test_expect_code 2 run_step gate "inputs.mode=true" >out 2>&1 &&
	test_grep "::error::perfgate: mode .true. is not auto, paired or stored" out &&
	test_grep "^verdict=error$" gh.out &&
	test_grep "default: auto" "$T/action.yml"
'

test_expect_success 'workflow: least privilege per job, pushes never cancelled' '
	python3 - "$W" <<-\EOF
	import sys, yaml
	w = yaml.safe_load(open(sys.argv[1]))
	assert w["permissions"] == {}, w["permissions"]
	j = w["jobs"]
	assert j["gate"]["permissions"] == {"contents": "read", "pull-requests": "write"}
	assert "pull_request" in j["gate"]["if"]
	assert j["baseline"]["permissions"] == {"contents": "write"}
	assert "push" in j["baseline"]["if"]
	c = w["concurrency"]["cancel-in-progress"]
	assert c == "${{ github.event_name == \x27pull_request\x27 }}", c
	# the Pages permissions in the publishing job only
	assert j["publish"]["permissions"] == {"pages": "write", "id-token": "write"}
	assert j["publish"]["needs"] == "baseline" and "push" in j["publish"]["if"]
	assert j["baseline"]["steps"][1]["with"]["html-report"] == "true"
	pub = j.pop("publish")
	assert pub["steps"][0]["uses"].startswith("actions/deploy-pages@")
	for job in j.values():
	    co = [s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout")]
	    assert co and co[0]["with"]["fetch-depth"] == 0, job
	    assert any(s.get("uses") == "perfgate/perfgate@v1" for s in job["steps"]), job
	EOF
'

test_expect_success 'site step: html-report writes the site with the gate report' '
	cd repo && rm -rf site-tmp && mkdir site-tmp &&
	RUNNER_TEMP="$PWD/site-tmp" run_step site "inputs.html-report=true" >out 2>&1 &&
	test -s site-tmp/perfgate-site/index.html &&
	test -s site-tmp/perfgate-site/gate.html &&
	"$GH" script "$T/action.yml" site >s.sh && test_grep "report --html" s.sh
'

test_expect_success 'cache key: the source tree, the OS image and the architecture' '
	mkdir -p src/cmd && cp "$PERFGATE_TOP/Makefile" src/ &&
	cp "$PERFGATE_TOP/cmd/main.c" src/cmd/ &&
	(export GITHUB_ACTION_PATH="$PWD/src" RUNNER_OS=Linux RUNNER_ARCH=X64 \
		RUNNER_TEMP=/rt GITHUB_OUTPUT="$PWD/k1" &&
	 bash -e -c "$("$GH" script "$T/action.yml" key)" &&
	 GITHUB_OUTPUT="$PWD/k2" bash -e -c "$("$GH" script "$T/action.yml" key)" &&
	 echo "/* changed */" >>src/cmd/main.c &&
	 GITHUB_OUTPUT="$PWD/k3" bash -e -c "$("$GH" script "$T/action.yml" key)") &&
	. /etc/os-release &&
	test_grep "^key=perfgate-Linux-X64-$ID$VERSION_ID-[0-9a-f]{16}$" k1 &&
	test_grep "^prefix=/rt/perfgate$" k1 &&
	cmp k1 k2 && ! cmp -s k1 k3
'

test_expect_success 'gate step: inputs cannot inject shell code' '
	cd repo && rm -f pwned &&
	test_expect_code 2 run_step gate "inputs.threshold=\$(touch pwned)\"; touch pwned #" \
		>out 2>&1 &&
	test ! -e pwned && test_grep "threshold" out
'

# A recording fake of GitHub's API on 127.0.0.1 (tests/t/httpd.py).
TOKEN=ghs_SameRepoToken
SRV="$TRASH/srv"
mkdir -p "$SRV"
python3 "$TEST_DIR/httpd.py" --dir "$SRV" --token "$TOKEN" --lifetime 60 &
server_pid=$!
trap 'kill $server_pid 2>/dev/null' EXIT
i=0
while [ ! -s "$SRV/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
printf '{"pull_request": {"number": 7, "head": {"sha": "%s"}}}\n' \
	0123456789012345678901234567890123456789 >"$TRASH/pr-event.json"
export GITHUB_EVENT_NAME=pull_request GITHUB_EVENT_PATH="$TRASH/pr-event.json" \
	GITHUB_API_URL="http://127.0.0.1:$(cat "$SRV/port")"

# comments: the bodies of the comments on the fake pull request
comments() {
	python3 -c "import json; print(len(json.load(open(\"$SRV/comments.json\"))))"
}

test_expect_success 'comment step, same repository: one comment, updated in place' '
	cd repo &&
	run_step "Comment on the pull request" \
		"github.event.pull_request.head.repo.full_name=owner/repo" \
		"inputs.token=$TOKEN" >out 2>&1 &&
	test "$(comments)" = 1 &&
	echo "one more line" >>perfgate.md &&
	run_step "Comment on the pull request" \
		"github.event.pull_request.head.repo.full_name=owner/repo" \
		"inputs.token=$TOKEN" >out 2>&1 &&
	test "$(comments)" = 1 &&
	test_grep "one more line" "$SRV/comments.json" &&
	test_grep -v "$TOKEN" out
'

test_expect_success 'comment step, same repository: a refused comment fails the step' '
	cd repo &&
	test_expect_code 3 run_step "Comment on the pull request" \
		"github.event.pull_request.head.repo.full_name=owner/repo" \
		"inputs.token=wrong" >out 2>&1
'

test_expect_success 'comment step on a fork PR: refused, and the job does not fail' '
	cd repo && rm -f "$SRV/requests.jsonl" &&
	run_step "Comment on the pull request" \
		"github.event.pull_request.head.repo.full_name=someone/fork" \
		"inputs.token=read-only" >out 2>&1 &&
	test -s "$SRV/requests.jsonl" &&
	test_grep "forks get the report here" gh.summary &&
	test "$(comments)" = 1
'

test_done
