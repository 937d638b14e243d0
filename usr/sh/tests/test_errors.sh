[ 1 -eq x ] 2>/dev/null
echo $?
[ a = a 2>/dev/null
echo $?
test 1 -gt 2
echo $?
test a = a -o b -eq 2>/dev/null
echo missing-number $?
