set -- 1 2 3 4
shift
echo $# $*
shift 2
echo $# $*
shift
echo $#
$SH -c 'shift 3' 2>/dev/null
echo status $?
