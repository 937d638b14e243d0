echo one > f
set -C
echo two > f 2>/dev/null
echo status $?
cat f
echo three >| f
cat f
