eval echo hello
cmd='x=5; echo $x'
eval "$cmd"
eval 'for i in 1 2; do echo $i; done'
a='$b'
b=deep
eval echo $a
eval false
echo $?
eval
echo $?
