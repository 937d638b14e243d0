$SH -c 'kill -9 $$'
echo $?
$SH -c 'kill -TERM $$'
echo $?
