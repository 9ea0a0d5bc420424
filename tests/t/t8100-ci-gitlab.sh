#!/bin/sh
# templates/perfgate.yml, the GitLab CI/CD component, included with
# inputs as a hidden .perfgate job that a real .gitlab-ci.yml extends, and
# run by gitlab-ci-local (installed by make check) with the shell executor
# on a scratch repository with a real perfgate.json and a bare "origin"
# holding the stored results.  The job's status and the JUnit file it
# leaves are what GitLab would see; its rules run it in merge request
# pipelines and on the default branch only.
# Timing-based (a 10x slowdown of a sleep), so it runs alone:
# test: serial
. ./lib.sh

GCL="${PERFGATE_NODE_BIN:-}/gitlab-ci-local"
if [ -z "${PERFGATE_NODE_BIN:-}" ] && ! command -v npm >/dev/null 2>&1; then
	echo "ok 1 # SKIP npm is not installed: the GitLab template is not run"
	echo "1..1"
	exit 0
fi

git init -q --bare remote.git
git clone -q remote.git repo 2>/dev/null
cd repo
cp "$PERFGATE_TOP/templates/perfgate.yml" .
cat >.gitlab-ci.yml <<'YAML'
include:
  - local: perfgate.yml
    inputs:
      job-name: .perfgate
perfgate:
  extends: .perfgate
YAML
cat >perfgate.json <<'JSON'
{"runs": 8, "warmup": 0, "threshold": "50%", "benchmarks": [
  {"name": "work", "command": "sleep $(cat delay)"},
  {"name": "steady", "command": "sleep 0.01"}
]}
JSON
echo 0.01 >delay
printf '.gitlab-ci-local/\nperfgate-junit.xml\nperfgate-report.json\nperfgate.md\nperfgate-metrics.txt\n' >.gitignore
git add -A && git commit -q -m "A: the suite"
git push -q origin main 2>/dev/null
git remote set-head origin main
# the baseline lives on origin only: the job has to fetch it
perfgate run 2>/dev/null && perfgate sync 2>/dev/null
git update-ref -d refs/notes/perfgate
cd ..

# run_job [ARGS]: the perfgate job through gitlab-ci-local, its exit
# status; mr_job: the same in a merge request pipeline.
run_job() {
	rm -f perfgate-junit.xml
	PATH="$(dirname "$PERFGATE"):$PATH" "$GCL" --cwd . perfgate "$@" >job.log 2>&1
}
mr_job() {
	run_job --variable CI_PIPELINE_SOURCE=merge_request_event \
		--variable CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main "$@"
}

test_expect_success 'a regression fails the job and the JUnit report says so' '
	cd repo && git checkout -q -b slow main &&
	echo 0.1 >delay && git commit -q -am "B: 10x slower" &&
	test_expect_code 1 mr_job &&
	test_grep "FAIL  perfgate" job.log &&
	test_grep "regression +work +wall_time" job.log &&
	xmllint --noout --schema "$PERFGATE_TOP/tests/junit.xsd" perfgate-junit.xml &&
	test_grep "^perfgate_rows\{verdict=\"regression\"\} 1$" perfgate-metrics.txt &&
	"$TEST_DIR/check_junit.py" perfgate-junit.xml "work [wall_time]=failure" \
		"steady [wall_time]=pass" &&
	test -s perfgate.md
'

test_expect_success 'no regression: the job passes with a clean JUnit report' '
	cd repo && git checkout -q -b fine main &&
	echo docs >README && git add README && git commit -q -m "C: docs" &&
	mr_job &&
	test_grep "PASS  perfgate" job.log &&
	"$TEST_DIR/check_junit.py" perfgate-junit.xml "work [wall_time]=pass" \
		"steady [wall_time]=pass" &&
	test_grep -v "<failure" perfgate-junit.xml
'

test_expect_success 'on the default branch the job publishes the results' '
	cd repo && git checkout -q main &&
	git merge -q --ff-only fine && git push -q origin main 2>/dev/null &&
	run_job &&
	test_grep "perfgate: sync origin" job.log &&
	git -C ../remote.git notes --ref=perfgate show "$(git rev-parse HEAD)" >note &&
	test_grep "\"work\"" note
'

test_expect_success 'in a merge request pipeline the job comments with PRIVATE-TOKEN' '
	SRV="$TRASH/srv" && mkdir -p "$SRV" &&
	{ python3 "$TEST_DIR/httpd.py" --dir "$SRV" --token glpat-MrToken \
		--lifetime 60 & } &&
	server_pid=$! &&
	i=0 && while [ ! -s "$SRV/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done &&
	cd repo && git checkout -q fine &&
	PATH="$(dirname "$PERFGATE"):$PATH" "$GCL" --cwd . perfgate \
		--variable CI_PIPELINE_SOURCE=merge_request_event \
		--variable CI_MERGE_REQUEST_IID=5 --variable CI_PROJECT_ID=42 \
		--variable "CI_API_V4_URL=http://127.0.0.1:$(cat "$SRV/port")/api/v4" \
		--variable PERFGATE_GITLAB_TOKEN=glpat-MrToken >job.log 2>&1
	rc=$?
	kill $server_pid
	test $rc -eq 0 &&
	python3 - "$SRV/requests.jsonl" <<-\EOF
	import json, sys
	reqs = [json.loads(l) for l in open(sys.argv[1])]
	posts = [r for r in reqs if r["method"] == "POST"]
	assert len(posts) == 1, reqs
	assert posts[0]["path"] == "/api/v4/projects/42/merge_requests/5/notes", posts
	assert ["PRIVATE-TOKEN", "glpat-MrToken"] in [[k, v] for k, v in posts[0]["headers"]] or \
	    any(k.lower() == "private-token" and v == "glpat-MrToken" for k, v in posts[0]["headers"]), posts
	assert "work" in json.loads(posts[0]["body"])["body"]
	EOF
'

test_expect_success 'rules: a push to another branch runs no perfgate job' '
	cd repo && git checkout -q fine &&
	"$GCL" --cwd . --list >list 2>&1 &&
	test_grep -v "^perfgate " list &&
	git checkout -q main && "$GCL" --cwd . --list >list 2>&1 &&
	test_grep "^perfgate " list
'

test_expect_success 'fail-on-regression false: the job passes, the report still fails' '
	cd repo && git checkout -q slow &&
	sed "s/job-name: .perfgate/job-name: .perfgate\n      fail-on-regression: false/" .gitlab-ci.yml >ci.yml &&
	cp .gitlab-ci.yml keep.yml && cp ci.yml .gitlab-ci.yml &&
	mr_job; rc=$?; cp keep.yml .gitlab-ci.yml &&
	test $rc -eq 0 &&
	test_grep "fail-on-regression is false" job.log &&
	test_grep "<failure" perfgate-junit.xml
'

test_expect_success 'mode accepts auto, paired and stored only; script overrides keep the setup' '
	cd repo &&
	printf "include:\n  - local: perfgate.yml\n    inputs:\n      mode: fast\n" >.gitlab-ci.yml &&
	! "$GCL" --cwd . --preview >prev 2>&1 &&
	test_grep "fast" prev &&
	printf "include:\n  - local: perfgate.yml\n    inputs:\n      job-name: .perfgate\nperfgate:\n  extends: .perfgate\n  script:\n    - perfgate log\n" >.gitlab-ci.yml &&
	"$GCL" --cwd . --preview >prev 2>&1 &&
	python3 - prev <<-\EOF
	import sys, yaml
	text = open(sys.argv[1]).read()
	doc = yaml.safe_load(text[text.index("---"):])
	job = doc["perfgate"]
	assert job["script"] == ["perfgate log"], job["script"]
	assert "refs/notes/perfgate" in job["before_script"][0], job
	assert job["variables"]["GIT_DEPTH"] == "0"
	assert job["artifacts"]["reports"]["junit"] == "perfgate-junit.xml"
	EOF
	git checkout -q .gitlab-ci.yml
'

test_done
