set -- a b c
echo $# $1
set -- "$@" d
echo $# $4
set --
echo $#
set x y
echo $1 $2
set -- -e
echo $1
