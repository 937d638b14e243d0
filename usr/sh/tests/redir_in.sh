printf 'l1\nl2\n' > f
while read l; do echo "[$l]"; done < f
cat < f | wc -l
read a < f
echo $a
cat 0< f
