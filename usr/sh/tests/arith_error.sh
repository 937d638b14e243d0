(echo $((1 / 0))) 2>/dev/null
echo status $?
(echo $((1 +))) 2>/dev/null
echo status $?
echo end
