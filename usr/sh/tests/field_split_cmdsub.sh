for w in $(printf 'x y\nz\n'); do echo "[$w]"; done
set -- $(echo 1 2 3)
echo $#
IFS=:
set -- $(echo a:b:c)
echo $2
