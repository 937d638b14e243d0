echo one > f
cat f
echo two >> f
cat f
echo three > f
cat f
: > empty
wc -c < empty
echo err 2> e >&2
cat e
