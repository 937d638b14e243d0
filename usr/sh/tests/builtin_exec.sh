exec 3> out
echo via3 >&3
exec 3>&-
cat out
$SH -c 'exec echo replaced; echo never'
(exec false)
echo $?
