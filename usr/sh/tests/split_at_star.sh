set -- "a b" c ""
for w in "$@"; do echo "[$w]"; done
for w in $@; do echo "<$w>"; done
for w in "$*"; do echo "{$w}"; done
IFS=,
echo "$*"
unset IFS
set --
for w in "$@"; do echo never; done
echo count $#
f() { echo $#; }
f "$@"
f "$@" x
f ""
