for i in a b c; do echo $i; done
for i in; do echo never; done
set -- x y
for i; do echo "p $i"; done
for i in "1 2" 3
do
	echo "[$i]"
done
for f in $(echo u v); do echo $f; done
echo last $i
