f() {
	for i in 1 2 3; do
		[ $i -eq 2 ] && return 3
		echo $i
	done
	echo never
}
f
echo $?
g() { false; }
g
echo $?
h() { true; return; }
h
echo $?
