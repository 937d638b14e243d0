set -- a b c
echo $#
echo "$1 $2 $3"
echo $*
false
echo $?
true
echo $?
[ $$ -gt 1 ] && echo pid-ok
echo ${0##*/}
set -- 1 2 3 4 5 6 7 8 9 10
echo $9 ${10}
