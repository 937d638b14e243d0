x=set
echo ${x:?nope}
(echo ${u:?custom message}) 2>/dev/null
echo status $?
(echo ${u?}) 2>/dev/null
echo status $?
echo after
