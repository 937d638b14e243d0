printf 'a b c d\n' > f
read x y < f
echo "[$x] [$y]"
read x y z w v < f
echo "[$x] [$y] [$z] [$w] [$v]"
read line < f
echo "[$line]"
printf '  lead  trail  \n' | { read v; echo "[$v]"; }
printf 'back\\slash\n' | { read v; echo "[$v]"; }
printf 'back\\slash\n' | { read -r v; echo "[$v]"; }
printf 'a:b:c\n' | { IFS=: read p q; echo "[$p] [$q]"; }
printf 'noeol' | { read v; echo "$? [$v]"; }
read v < /dev/null
echo $?
