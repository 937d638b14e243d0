echo one | read x
echo "[$x]"
printf 'a\nb\nc\n' | while read l; do echo "$l"; done | tr 'abc' 'xyz'
echo 5 | (read n; echo $((n * 2)))
