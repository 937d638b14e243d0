x=1
{ x=2; echo in-group $x; }
echo $x
(x=3; echo in-sub $x)
echo $x
(cd /; pwd)
[ "$(pwd)" != / ] && echo cwd-kept
(exit 5)
echo $?
{ echo a; echo b; } | wc -l
( echo c; echo d ) > f
cat f
