x=outer
x=inner $SH -c 'echo $x'
echo $x
y=1 true
echo "[$y]"
unset z
z=env $SH -c 'echo $z'
echo "[$z]"
