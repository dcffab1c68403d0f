#!/bin/sh
# Installs the Debian packages named as arguments when any is missing:
# with apt-get when run as root, otherwise prints the exact command and
# fails, so that nothing is half set up.
set -u
missing=""
for pkg in "$@"; do
	status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)
	case "$status" in
	*"install ok installed"*) ;;
	*) missing="$missing $pkg" ;;
	esac
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
	echo "xref: installing missing Debian packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq && apt-get install -y -qq --no-install-recommends $missing >&2 || {
		echo "xref: apt-get failed; run: apt-get install -y$missing" >&2
		exit 1
	}
	exit 0
fi
echo "xref: missing Debian packages:$missing" >&2
echo "run:  sudo apt-get install -y$missing" >&2
exit 1
