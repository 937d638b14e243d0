readonly r=5
echo $r
(r=6) 2>/dev/null
echo status $?
(unset r) 2>/dev/null
echo status $?
echo $r
