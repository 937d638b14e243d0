true &
pid=$!
wait $pid
echo $?
[ "$pid" -gt 0 ] && echo bang-ok
(exit 7) &
wait $!
echo $?
