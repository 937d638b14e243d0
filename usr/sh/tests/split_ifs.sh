x="a b   c"
for w in $x; do echo "[$w]"; done
IFS=:
y="1:2::3"
for w in $y; do echo "<$w>"; done
IFS=' :'
z=" a : b "
for w in $z; do echo "{$w}"; done
IFS=
for w in $x; do echo "($w)"; done
unset IFS
for w in $x; do echo "/$w/"; done
