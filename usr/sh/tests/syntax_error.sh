$SH -c 'if true; then' 2>/dev/null
echo $?
$SH -c 'echo )' 2>/dev/null
echo $?
$SH -c 'fi' 2>/dev/null
echo $?
$SH -c 'echo "unterminated' 2>/dev/null
echo $?
$SH -c 'case x in' 2>/dev/null
echo $?
echo ok
