a=1 b=2
echo $a $b
c=$a$b
echo $c
d="x y"
echo $d "$d"
e=
echo "[$e]"
f=~
[ "$f" = "$HOME" ] && echo tilde-ok
g=a=b
echo $g
