f() {
	echo "f: $# $1 $2"
}
f a b
set -- outer1 outer2
g() { echo "g: $1"; set -- changed; echo "g2: $1"; }
g inner
echo "after: $1 $2"
r() { return 7; }
r
echo $?
fact() {
	if [ $1 -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(($1 - 1))) )); fi
}
fact 5
v() { local l=inside; echo $l; }
l=outside
v
echo $l
h() { echo redirected; } > hout
h
cat hout
f() { echo redefined; }
f
