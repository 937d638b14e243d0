x=hello
echo ${#x}
e=
echo ${#e}
set -- a b c d
echo ${#}
y="a b c"
echo ${#y}
