printf 'a\tb  c\n' | { read x y; echo "[$x][$y]"; }
printf 'one,two,three\n' | { IFS=, read a b c; echo "$c-$b-$a"; }
printf 'x y\n' | { read only; echo "[$only]"; }
