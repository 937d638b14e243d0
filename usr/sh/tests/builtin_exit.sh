$SH -c 'exit 3'
echo $?
$SH -c 'false; exit'
echo $?
(exit 300)
echo $?
$SH -c 'echo before; exit 0; echo after'
echo end
exit 4
echo never
