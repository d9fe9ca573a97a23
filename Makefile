# Fabric Atlas. `make run` opens the app; `make test` runs every check and test.
SHELL := /bin/bash
.DEFAULT_GOAL := run
XVFB := xvfb-run -a -s "-screen 0 1280x1024x24"

.PHONY: run test setup ui bindings lint rust-test ui-test e2e bench corpus package package-test

## Installs what is missing (Debian/Ubuntu), builds and opens the app.
run: setup ui
	cargo run --locked -p fabric-atlas

## Every check: formatting, lints, type checks, binding drift, Rust tests (real keyring),
## Vitest, and the end-to-end suite against the real app under Xvfb.
test:
	scripts/setup.sh --with-e2e
	$(MAKE) ui
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	npm --prefix ui run check
	npm --prefix ui run lint
	$(MAKE) rust-test ui-test e2e package-test

setup:
	scripts/setup.sh

ui:
	npm --prefix ui run build

## Regenerates ui/src/bindings from the Rust IPC types.
bindings:
	UPDATE_BINDINGS=1 cargo test --locked -p atlas-core bindings_are_current

## Rust tests talk to the real OS keyring: a private Secret Service under its own D-Bus session.
rust-test:
	scripts/with-keyring.sh cargo nextest run --workspace --locked --no-fail-fast

ui-test:
	npm --prefix ui test

e2e:
	cargo build --locked -p fabric-atlas -p console-emulator -p atlas-cli
	scripts/with-keyring.sh $(XVFB) npm --prefix tests/e2e test

## Rewrites the committed artifact test corpus (fresh keys and certificates); never run by tests.
corpus:
	cargo run --locked -p atlas-core --example regenerate_corpus

## Benchmarks (not tests): replicate an org to two regions, full mesh, and a health sweep of three
## full consoles, each with 50 ms injected per console call; prints time and request count next to
## the floor's (from the work's dependency graph); then the desktop benchmark of the release app
## under Xvfb (start to the interactive map, idle memory and CPU, package size, each by its target).
bench: package
	scripts/with-keyring.sh cargo bench --locked -p atlas-tests \
		--bench replicate --bench mesh --bench health_sweep
	scripts/with-keyring.sh $(XVFB) cargo bench --locked -p atlas-tests --bench desktop

## Release bundles with Tauri's bundler into target/release/bundle/: .deb and .rpm, and an AppImage
## where Tauri's bundler can fetch its AppImage tools from github.com (macOS and Windows bundles:
## see the README). The atlas CLI, its shell completions and its man pages (from clap, by
## atlas-docs) go into the packages next to the app.
BUNDLES ?= deb rpm
package: setup ui
	cargo build --release --locked -p fabric-atlas -p atlas-cli --bin fabric-atlas --bin atlas \
		--features fabric-atlas/custom-protocol
	cargo build --locked -p atlas-cli --bin atlas-docs
	rm -rf target/package && mkdir -p target/package
	cp target/release/atlas target/package/atlas
	target/debug/atlas-docs target/package
	gzip -9n target/package/man1/*.1
	ui/node_modules/.bin/tauri bundle --bundles $(BUNDLES)
	ui/node_modules/.bin/tauri bundle --bundles appimage || \
		echo "package: no AppImage (Tauri's bundler fetches its AppImage tools from github.com)"

## Builds the .deb, installs it with apt, checks what it installed, launches the installed app
## under Xvfb with a fresh HOME (sandbox smoke test), runs the installed CLI, then purges it.
package-test: package
	scripts/with-keyring.sh scripts/package-test.sh
