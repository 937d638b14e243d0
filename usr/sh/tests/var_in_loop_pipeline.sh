x=0
echo a | while read l; do x=1; done
echo $x
for i in 1 2 3; do x=$i; done
echo $x
