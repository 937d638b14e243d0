outer() {
	for i in 1 2; do
		inner $i
	done
}
inner() {
	echo "inner $1"
	return
}
outer
count() { c=0; while [ $c -lt $1 ]; do c=$((c+1)); done; echo $c; }
count 10
