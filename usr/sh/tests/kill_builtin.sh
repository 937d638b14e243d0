sleep 5 &
p=$!
kill $p
wait $p
echo $?
kill -l 15
kill -s KILL $p 2>/dev/null || echo already-gone
wait
echo end
