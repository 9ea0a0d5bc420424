#!/bin/sh
# The GitHub action (action.yml at the repository root) and the example
# workflow (ci-templates/github/perfgate.yml) are valid for GitHub
# (@action-validator/cli, installed by make check), no input is inlined
# into a script, the workflow gives each job only the permissions it needs
# and never cancels pushes, and the action's own scripts run under bash
# with GitHub's environment: the gate step's outputs say the verdict, its
# failure can be deferred, a fork's comment step never fails the job, and
# without a usable release package (no network here) the action falls back
# to the cached source build.
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

test_expect_success 'release workflow: valid, per-image .debs and the tarball on a v1.2.3 tag' '
	R="$T/.github/workflows/release.yml" &&
	"$VALIDATOR" "$R" && "$GH" check-inputs "$R" &&
	python3 - "$R" <<-\EOF
	import sys, yaml
	w = yaml.safe_load(open(sys.argv[1]))
	on = w[True] if True in w else w["on"]
	assert on == {"push": {"tags": ["v[0-9]+.[0-9]+.[0-9]+"]}}, on
	assert w["permissions"] == {}
	j = w["jobs"]
	assert "debian:bookworm" in j["deb"]["strategy"]["matrix"]["image"]
	assert j["deb"]["container"] == "${{ matrix.image }}"
	runs = "\n".join(s.get("run", "") for s in j["deb"]["steps"])
	assert "make -s deb" in runs and "apt-get install -y ./dist/perfgate_" in runs
	assert "$ID${VERSION_ID}" in runs, runs
	assert "make dist" in "\n".join(s.get("run", "") for s in j["dist"]["steps"])
	for name in ("deb", "dist"):
	    assert j[name]["permissions"] == {"contents": "read"}, name
	assert j["release"]["permissions"] == {"contents": "write"}
	assert j["release"]["needs"] == ["deb", "dist"]
	EOF
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

# The release package (scripts/install-release-deb.sh): no network here,
# so every case is the fallback to the cached source build.
PG_VERSION=$(sed -n 's/^VERSION := //p' "$T/Makefile")
DEB_NAME=$(. /etc/os-release &&
	echo "perfgate_${PG_VERSION}_$ID${VERSION_ID}_$(dpkg --print-architecture 2>/dev/null).deb")

test_expect_success 'release package: a failed download falls back to the source build' '
	rm -f gh.out &&
	GITHUB_ACTION_PATH="$T" GITHUB_SERVER_URL=http://127.0.0.1:1 \
		run_step deb "github.action_ref=v1" \
		"github.action_repository=perfgate/perfgate" >out 2>&1 &&
	test_grep "^installed=false$" gh.out &&
	test_grep "no release package $DEB_NAME \(http://127.0.0.1:1/perfgate/perfgate/releases/download/v$PG_VERSION/$DEB_NAME\); building from source" out
'

test_expect_success 'release package: a bad package falls back too' '
	mkdir -p "rel/o/r/releases/download/v$PG_VERSION" &&
	echo "not a deb" >"rel/o/r/releases/download/v$PG_VERSION/$DEB_NAME" &&
	(cd rel && exec python3 -c "
import http.server, socketserver, sys
s = socketserver.TCPServer((\"127.0.0.1\", 0), http.server.SimpleHTTPRequestHandler)
open(\"port\", \"w\").write(str(s.server_address[1])); s.handle_request()
" >/dev/null 2>&1) &
	i=0; while [ ! -s rel/port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
	rm -f gh.out &&
	GITHUB_ACTION_PATH="$T" GITHUB_SERVER_URL="http://127.0.0.1:$(cat rel/port)" \
		run_step deb "github.action_ref=v$PG_VERSION" \
		"github.action_repository=o/r" >out 2>&1 &&
	wait &&
	test_grep "^installed=false$" gh.out &&
	test_grep "$DEB_NAME is not a Debian package; building from source" out
'

# apt-get and sudo are stubs first on PATH: nothing is installed for real
test_expect_success 'release package: a valid package goes to apt-get install; its failure falls back' '
	mkdir -p okdeb/DEBIAN stub "okrel/o/r/releases/download/v$PG_VERSION" &&
	printf "Package: perfgate\nVersion: $PG_VERSION\nArchitecture: all\nMaintainer: t <t@example.com>\nDescription: test\n" >okdeb/DEBIAN/control &&
	dpkg-deb --root-owner-group --build okdeb \
		"okrel/o/r/releases/download/v$PG_VERSION/$DEB_NAME" >/dev/null &&
	printf "#!/bin/sh\necho \"\$*\" >>\"$PWD/apt.args\"\n" >stub/apt-get &&
	printf "#!/bin/sh\nexec \"\$@\"\n" >stub/sudo &&
	chmod +x stub/apt-get stub/sudo && rm -f apt.args &&
	(cd okrel && exec python3 -c "
import http.server, socketserver
s = socketserver.TCPServer((\"127.0.0.1\", 0), http.server.SimpleHTTPRequestHandler)
open(\"port\", \"w\").write(str(s.server_address[1]))
for _ in range(2): s.handle_request()
" >/dev/null 2>&1) &
	i=0; while [ ! -s okrel/port ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
	rm -f gh.out &&
	PATH="$PWD/stub:$PATH" GITHUB_ACTION_PATH="$T" \
		GITHUB_SERVER_URL="http://127.0.0.1:$(cat okrel/port)" \
		run_step deb "github.action_ref=v1" "github.action_repository=o/r" >out 2>&1 &&
	test_grep "^installed=true$" gh.out &&
	test_grep "installed the release package $DEB_NAME" out &&
	test_grep "^install -y -qq /.*/$DEB_NAME$" apt.args &&
	echo "exit 1" >>stub/apt-get && rm -f gh.out apt.args &&
	PATH="$PWD/stub:$PATH" GITHUB_ACTION_PATH="$T" \
		GITHUB_SERVER_URL="http://127.0.0.1:$(cat okrel/port)" \
		run_step deb "github.action_ref=v1" "github.action_repository=o/r" >out 2>&1 &&
	wait &&
	test_grep "^installed=false$" gh.out &&
	test_grep "apt-get install $DEB_NAME failed; building from source" out &&
	test_grep "^update -qq$" apt.args
'

test_expect_success 'release package: a branch or SHA ref builds from source' '
	rm -f gh.out &&
	GITHUB_ACTION_PATH="$T" run_step deb "github.action_ref=0123abc" \
		"github.action_repository=perfgate/perfgate" >out 2>&1 &&
	test_grep "^installed=false$" gh.out &&
	test_grep "not used at a release tag \(0123abc\)" out
'

test_expect_success 'release package: the fallback takes the cache and build steps' '
	python3 - "$T/action.yml" <<-\EOF &&
	import sys, yaml
	steps = {s.get("id"): s for s in yaml.safe_load(open(sys.argv[1]))["runs"]["steps"]}
	ids = list(steps)
	assert ids.index("deb") < ids.index("cache") < ids.index("build"), ids
	for sid in ("cache", "build"):
	    assert "steps.deb.outputs.installed != \x27true\x27" in steps[sid]["if"], sid
	assert "cache-hit != \x27true\x27" in steps["build"]["if"]
	EOF
	mkdir -p pfx/bin && ln -sf "$PERFGATE" pfx/bin/perfgate && rm -f gh.path &&
	GITHUB_PATH="$PWD/gh.path" run_step path "steps.key.outputs.prefix=$PWD/pfx" \
		"steps.deb.outputs.installed=false" >out 2>&1 &&
	test "$(cat gh.path)" = "$PWD/pfx/bin" && test_grep "$PG_VERSION" out &&
	rm -f gh.path &&
	GITHUB_PATH="$PWD/gh.path" run_step path "steps.key.outputs.prefix=$PWD/pfx" \
		"steps.deb.outputs.installed=true" >out 2>&1 &&
	test ! -s gh.path
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
