a=1
$SH -c 'echo "[$a]"'
export a
$SH -c 'echo "[$a]"'
export b=2
$SH -c 'echo "[$b]"'
export -p | grep -c 'export b='
