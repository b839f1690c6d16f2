#!/bin/sh
# Install the Debian packages named on the command line that are not installed yet.
# Used by `make deps` (and so by `make run` / `make test`); never prompts.
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "zsim: installing missing Debian packages:$missing" >&2
if [ "$(id -u)" -eq 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo -n"
else
	echo "zsim: cannot install packages (not root and no sudo). Run as root:" >&2
	echo "    apt-get install -y$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q $missing </dev/null; then
	$SUDO apt-get update -q </dev/null || true
	if ! $SUDO apt-get install -y -q $missing </dev/null; then
		echo "zsim: apt-get failed. Install these packages by hand:" >&2
		echo "    sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi
