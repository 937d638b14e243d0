a=3 b=4
echo $((a*a + b*b))
i=0
i=$((i+1)); i=$((i+1))
echo $i
echo $(( (a+b) * (a-b) ))
n=010
echo $((n + 0))
