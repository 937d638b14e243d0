cat <<A; cat <<B
first
A
second
B
while read l; do echo "r:$l"; done <<EOF
x
y
EOF
f() {
	cat <<END
in function $1
END
}
f arg
