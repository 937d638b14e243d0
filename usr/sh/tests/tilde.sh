HOME=/home/test
echo ~ ~/x "~" '~' x~
a=~/p
echo $a
b=x:~/q
echo $b
