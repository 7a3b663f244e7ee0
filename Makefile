# ap — build, test, run, install. `make help` lists the targets.
PREFIX ?= /usr/local
SWIFT ?= swift
BIN = .build/debug/ap
RELEASE_BIN = .build/release/ap
MANDIR = $(PREFIX)/share/man
# On Linux the release binary is linked whole (Swift runtime, Foundation and libc), so ap runs
# on a machine with no Swift installed and starts without the dynamic loader's 76,000
# relocations (issue 29: `ap version` 3.3 -> 1.6 ms); macOS has the runtime in the system.
STATIC = $(shell [ "$$(uname)" = Linux ] && echo --static-swift-stdlib -Xswiftc -static-executable)

.PHONY: help build release check-static test run examples install uninstall bench bench-floor bench-identity bench-mail bench-sync msg-crosscheck stress fuzz clean

help:
	@echo "targets: build release check-static test run examples install uninstall bench bench-floor bench-identity bench-mail bench-sync msg-crosscheck stress fuzz clean"

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release $(STATIC)

# Proves the release binary needs no Swift library: none linked, and it runs with an empty
# environment (CI runs it).
check-static: release
	! ldd $(RELEASE_BIN) 2>/dev/null | grep -i swift
	env -i $(RELEASE_BIN) version
	[ "$$(uname)" != Linux ] || ! readelf -l $(RELEASE_BIN) | grep -q INTERP

test:
	$(SWIFT) build
	$(SWIFT) test --disable-swift-testing

run: build
	$(BIN) -C examples/cases queue

# Regenerates the sample repository by driving ap itself, so it always matches the format.
examples: build
	bash scripts/make-examples.sh $(BIN) examples/cases

install: release
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/ap
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5/
	install -m 0644 man/*.7 $(DESTDIR)$(MANDIR)/man7/
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	$(RELEASE_BIN) completions bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ap
	$(RELEASE_BIN) completions zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_ap
	$(RELEASE_BIN) completions fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/ap.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/ap
	cd man && for f in *.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done
	cd man && for f in *.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$$f; done
	cd man && for f in *.7; do rm -f $(DESTDIR)$(MANDIR)/man7/$$f; done
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/ap $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_ap $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/ap.fish
	# The folders install made, where they are now empty (rmdir leaves any that are not).
	-rmdir $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/bash-completion \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions $(DESTDIR)$(PREFIX)/share/zsh \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d $(DESTDIR)$(PREFIX)/share/fish \
	  $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(MANDIR) $(DESTDIR)$(PREFIX)/share \
	  $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX) 2>/dev/null

# Benchmarks on a synthetic repository (N cases, default 100000); figures in BENCHMARKS.md.
# Also the side-by-side figures of bench-floor and bench-sync (issue 29).
bench: release
	python3 scripts/bench.py --cases $(or $(N),100000)
	python3 scripts/bench_identity.py --cases $(or $(IDENTITY_N),10000)
	python3 scripts/bench_mail.py --messages $(or $(MAIL_N),1000)
	$(MAKE) --no-print-directory bench-floor bench-sync

# ap's warm answers beside git status on the same tree, alternating runs, at 1,000, 10,000
# and 100,000 cases (or N) for the growth curve (issue 29).
bench-floor: release
	for n in $(or $(N),1000 10000 100000); do python3 scripts/bench_floor.py --cases $$n || exit 1; done

# ap sync beside a plain git pull + push that needs no driver, alternating runs (issue 29).
bench-sync: release
	python3 scripts/bench_sync.py --cases $(or $(SYNC_N),1000) --changed $(or $(SYNC_K),500)

bench-mail: release
	python3 scripts/bench_mail.py --messages $(or $(MAIL_N),1000)

# ap's .msg reader against extract_msg over every Outlook fixture (issue 27).
msg-crosscheck: build
	python3 -m venv .build/msg-venv && .build/msg-venv/bin/pip install -q extract_msg
	.build/msg-venv/bin/python scripts/msg_crosscheck.py .build/debug/ap examples/cases Tests/fixtures/outlook/poi/*.msg

# What signatures cost (issue 22): one write, a batch, ap verify; figures in BENCHMARKS.md.
bench-identity: release
	python3 scripts/bench_identity.py --cases $(or $(IDENTITY_N),10000)

clean:
	rm -rf .build

# Long runs of the concurrency, crash and fuzz checks (short versions run in make test).
stress: release
	python3 scripts/stress.py .build/release/ap --procs 8 --changes 1000 --cases 20 --kills 200

fuzz: release
	.build/release/ap-bench fuzz Tests/fuzz-corpus $(or $(SECONDS_LIMIT),120)
