printf 'echo "script: $# $1 $2"\necho "${0##*/}"\nexit 3\n' > s.sh
$SH s.sh one two
echo $?
$SH -c 'echo "$0 $1 $2"' zero one two
$SH -c 'echo $#' 
echo 'echo from-stdin $1' | $SH -s arg
