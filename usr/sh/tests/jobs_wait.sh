(exit 2) &
p1=$!
(exit 3) &
p2=$!
wait $p1
echo $?
wait $p2
echo $?
{ echo bg-out > bgf; } &
wait
cat bgf
wait
echo $?
