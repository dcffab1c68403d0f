#!/bin/sh
# Installs the npm packages that the consumer tests load (graphology,
# graphology-gexf, cytoscape, playwright-core; pinned in package-lock.json)
# into node_modules/ at the top of the source tree, when node_modules is
# missing or older than package-lock.json. Runs `npm ci`, which installs
# exactly the locked versions and checks their integrity hashes.
#
#   sh tests/npm-install.sh        (from anywhere)
#
# Exit 0 when node_modules is up to date or was installed; 1 when npm is
# missing or the install failed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$root" || exit 1
# npm (7 and later) writes node_modules/.package-lock.json on every
# install: newer than package-lock.json means up to date.
stamp=node_modules/.package-lock.json
if [ -f "$stamp" ] && [ -z "$(find package-lock.json -newer "$stamp")" ]; then
	exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
	echo "xref: npm is not installed; it is needed for the JavaScript consumer tests" >&2
	exit 1
fi
echo "xref: installing the test packages of package-lock.json into node_modules/" >&2
npm ci --no-audit --no-fund --loglevel=error >&2 || {
	echo "xref: npm ci failed" >&2
	exit 1
}
# npm ci keeps the lock file's time; make the stamp newer than it
touch "$stamp"
exit 0
