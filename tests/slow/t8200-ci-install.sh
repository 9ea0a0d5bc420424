#!/bin/sh
# scripts/ci-install.sh, which the GitHub action and the GitLab component
# run when perfgate is not cached: it builds a relocatable bundle that
# still works after a cache moves it, and the component's before_script
# installs from that cache in well under a second (the "install in
# seconds" of a second job; a real cache restore adds the download).
# Slow (a full build, ~40 s): make check-slow.
. ./lib.sh

test_expect_success 'the bundle: RPATH $ORIGIN/../lib, the linked libraries beside it' '
	sh "$PERFGATE_TOP/scripts/ci-install.sh" "$TRASH/built" >out 2>err &&
	test "$(cat out)" = "$TRASH/built/bin" &&
	readelf -d built/bin/perfgate >dyn &&
	test_grep "\(RPATH\) +Library rpath: \[\\\$ORIGIN/../lib\]" dyn &&
	test -e built/lib/libgit2.so.* 2>/dev/null || ls built/lib/libgit2.so* &&
	test ! -e built/lib/libc.so.6 &&
	test -f built/share/man/man5/perfgate.json.5 &&
	test -f built/share/doc/perfgate/ci.md
'

test_expect_success 'moved elsewhere (a cache restore), it runs and gates from its own libraries' '
	mkdir -p moved && cp -a built moved/pg && rm -rf built &&
	ldd moved/pg/bin/perfgate >ldd.out &&
	test_grep "libgit2[^ ]* => $TRASH/moved/pg/bin/../lib/" ldd.out &&
	moved/pg/bin/perfgate --version &&
	new_repo r && cd r &&
	printf "{\"runs\": 3, \"warmup\": 0, \"benchmarks\": [{\"name\": \"t\", \"command\": [\"true\"]}]}\n" >perfgate.json &&
	git add perfgate.json && git commit -qm cfg &&
	"$TRASH/moved/pg/bin/perfgate" run 2>/dev/null &&
	git commit -q --allow-empty -m next &&
	"$TRASH/moved/pg/bin/perfgate" gate --stored 2>gate.err &&
	test_grep "PASS" gate.err
'

test_expect_success 'GitLab before_script with a primed cache: no build, under a second' '
	new_repo g && cd g && mkdir -p .perfgate && cp -a ../moved/pg/. .perfgate/ &&
	python3 -c "import yaml,sys; d=list(yaml.safe_load_all(open(sys.argv[1])))[1]; print(d[\"\$[[ inputs.job-name ]]\"][\"before_script\"][0])" \
		"$PERFGATE_TOP/templates/perfgate.yml" >setup.sh &&
	echo "command -v perfgate" >>setup.sh &&
	git init -q --bare ../origin.git && git remote add origin ../origin.git &&
	start=$(date +%s%N) &&
	PATH=/usr/bin:/bin PERFGATE_INSTALL_REF=none PERFGATE_INSTALL_FROM=/nonexistent \
		sh -e setup.sh >setup.out 2>&1 &&
	end=$(date +%s%N) &&
	test_grep "^$PWD/.perfgate/bin/perfgate$" setup.out &&
	ms=$(( (end - start) / 1000000 )) && echo "# cached install: $ms ms" &&
	test "$ms" -lt 1000
'

test_done
