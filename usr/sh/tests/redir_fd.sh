echo to-stderr 2>&1 >&2 | cat
{ echo out; echo err >&2; } 2>&1 | sort
echo data > f
exec 3< f
read line <&3
echo "got $line"
exec 3<&-
exec 4> g
echo via4 >&4
exec 4>&-
cat g
echo x 5>h >&5
cat h
