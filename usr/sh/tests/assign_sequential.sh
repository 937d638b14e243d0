a=1
a=$((a+1)) b=$a
echo $a $b
x=1 y=$x
echo $y
