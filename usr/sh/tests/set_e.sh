$SH -c 'set -e; echo a; false; echo never'
echo status $?
$SH -c 'set -e; if false; then :; fi; echo cond-ok'
$SH -c 'set -e; false || echo or-ok; false && echo no; echo and-ok'
$SH -c 'set -e; ! true; echo bang-ok'
$SH -c 'set -e; while false; do :; done; echo while-ok'
$SH -c 'set -e; (false); echo never'
echo status $?
$SH -c 'set -e; f() { false; echo in-f; }; f || echo f-failed'
