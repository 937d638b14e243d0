set -- a b c
f() { shift; echo "$*"; }
f 1 2 3
echo "$*"
g() { echo $#; }
g
g ''
