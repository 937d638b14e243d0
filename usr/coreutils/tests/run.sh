#!/bin/sh
# Tests for the core utilities (usr/coreutils): each case runs a command
# line and compares its stdout, followed by "[STATUS]", with what GNU
# coreutils prints (recorded on a Debian host by record.py).
#
#   sh run.sh [BINDIR] [FILE.t...]
#
# BINDIR holds the utilities under test (default /bin, as in Exo-OS: the
# files are installed at /usr/share/coreutils-tests/). It is put first in
# PATH and exported as $B; cases call shell builtins (echo, printf, test,
# [, kill, true, false, pwd) as $B/NAME so that the shell's own builtin
# is not what gets tested. Running with BINDIR=/usr/bin checks the
# expectations against GNU itself.
#
# Case files (NN-topic.t) are sourced in a fresh scratch directory and say
#   t NAME 'COMMAND' <<'EOF'
#   expected stdout[STATUS]
#   EOF
# The output has no newline of its own before "[STATUS]": "hi\n[0]" is
# "echo hi", "hi[0]" is "printf hi". stderr is kept, shown on failure.
# Only POSIX sh is used (functions, here-documents, cd, $(( ))), and of
# the utilities the runner itself needs mkdir, rm, cat, cmp and dirname.
#
# RECORD=DIR writes each case's actual output to DIR/FILE.N for record.py.

B=${1:-/bin}
case $B in /*) ;; *) B=$(pwd)/$B ;; esac
[ $# -gt 0 ] && shift
here=$(cd "$(dirname "$0")" && pwd)
export B
PATH=$B:$PATH
LC_ALL=C
TZ=UTC0
export PATH LC_ALL TZ
unset COLUMNS

scratch=${TMPDIR:-/tmp}/coreutils-tests.$$
pass=0
fail=0
n=0

# Indent a file for the failure report (no sed: the guest may not have it).
show() {
	while IFS= read -r line || [ -n "$line" ]; do
		echo "    |$line"
	done < "$1"
}

t() {
	n=$((n + 1))
	cat > "$scratch/expected"
	sh -c "$2" > "$scratch/out" 2> "$scratch/err" < /dev/null
	echo "[$?]" >> "$scratch/out"
	if [ -n "$RECORD" ]; then
		cat "$scratch/out" > "$RECORD/$file.$n"
	fi
	if cmp -s "$scratch/out" "$scratch/expected"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $file: $1"
		echo "  command: $2"
		echo "  expected:"
		show "$scratch/expected"
		echo "  got:"
		show "$scratch/out"
		if [ -s "$scratch/err" ]; then
			echo "  stderr:"
			show "$scratch/err"
		fi
	fi
}

if [ $# -eq 0 ]; then
	set -- "$here"/*.t
fi
for f in "$@"; do
	file=${f##*/}
	n=0
	rm -rf "$scratch"
	mkdir -p "$scratch/work" || exit 2
	cd "$scratch/work" || exit 2
	. "$f"
	cd / || exit 2
done
rm -rf "$scratch"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
