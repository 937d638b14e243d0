x="a   b"
y=$x
echo "$y"
z=*
echo "$z"
